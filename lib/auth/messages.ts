import type { Locale } from '@/lib/i18n';

const en = {
  'login.title': 'Sign in',
  'login.intro': 'Sign in as the local administrator to review and apply stages.',
  'login.username': 'User name',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.pending': 'Signing in…',
  'login.wrong': 'Wrong user name or password.',
  'login.throttled': 'Too many failed sign-ins. Try again in {minutes} min.',
  'login.restartNote':
    'Sessions are kept in memory: restarting the wizard signs everyone out and forgets SQL passwords.',
  'setup.title': 'Create the administrator',
  'setup.intro':
    'This is the first start of the wizard. Choose the local administrator who will sign in to apply stages. Only a slow hash of the password is stored.',
  'setup.username': 'User name',
  'setup.usernameHint': 'Letters, digits, dots, hyphens and underscores.',
  'setup.password': 'Password',
  'setup.passwordHint': 'At least 12 characters. A passphrase of several words is easiest to remember.',
  'setup.confirm': 'Confirm the password',
  'setup.submit': 'Create the administrator and sign in',
  'setup.pending': 'Creating…',
  'setup.exists': 'An administrator already exists. Sign in instead.',
  'setup.remote':
    'The wizard listens on {host}, beyond this machine, so the first administrator cannot be created from the web: anyone who reached this page first would own it. Set PCHAT_HADR_ADMIN_PASSWORD and restart.',
  'session.signedInAs': 'Signed in as {user}',
  'session.signOut': 'Sign out',
  'form.errorSummary': 'The form could not be sent:',
  'secrets.title': 'SQL Server passwords',
  'secrets.intro':
    'Passwords are held in this session’s memory only: never saved, logged or exported. Signing out, 8 hours idle or a restart forgets them.',
  'secrets.none': 'This plan connects with integrated Windows authentication only: no password is needed.',
  'secrets.caption': 'Logins this plan connects with',
  'secrets.label': 'Password for {principal} on {server}',
  'secrets.roles': 'Used for: {roles}',
  'secrets.fromSession': 'Held for this session; type a new one to replace it.',
  'secrets.fromEnvironment': 'Taken from the environment unless you type one.',
  'secrets.missing': 'Needed before a stage that connects to this server can run.',
  'secrets.submit': 'Keep for this session',
  'secrets.pending': 'Saving in memory…',
  'secrets.saved': '{count} password(s) held for this session.',
  'secrets.nothing': 'No password was typed.',
  'secrets.signedOut': 'Your session has ended. Sign in again.',
  'role.primary': 'primary store',
  'role.primaryMirror': 'primary mirror',
  'role.backup': 'backup store',
  'role.backupMirror': 'backup mirror',
  'role.monitor': 'monitor',
} as const;

export type AuthMessageKey = keyof typeof en;
export type AuthMessages = Record<AuthMessageKey, string>;

const fr: AuthMessages = {
  'login.title': 'Connexion',
  'login.intro': 'Connectez-vous en tant qu’administrateur local pour revoir et appliquer les étapes.',
  'login.username': 'Nom d’utilisateur',
  'login.password': 'Mot de passe',
  'login.submit': 'Se connecter',
  'login.pending': 'Connexion…',
  'login.wrong': 'Nom d’utilisateur ou mot de passe incorrect.',
  'login.throttled': 'Trop d’échecs de connexion. Réessayez dans {minutes} min.',
  'login.restartNote':
    'Les sessions sont gardées en mémoire : redémarrer l’assistant déconnecte tout le monde et oublie les mots de passe SQL.',
  'setup.title': 'Créer l’administrateur',
  'setup.intro':
    'C’est le premier démarrage de l’assistant. Choisissez l’administrateur local qui se connectera pour appliquer les étapes. Seul un hachage lent du mot de passe est enregistré.',
  'setup.username': 'Nom d’utilisateur',
  'setup.usernameHint': 'Lettres, chiffres, points, tirets et soulignés.',
  'setup.password': 'Mot de passe',
  'setup.passwordHint': 'Au moins 12 caractères. Une phrase de plusieurs mots se retient plus facilement.',
  'setup.confirm': 'Confirmez le mot de passe',
  'setup.submit': 'Créer l’administrateur et se connecter',
  'setup.pending': 'Création…',
  'setup.exists': 'Un administrateur existe déjà. Connectez-vous.',
  'setup.remote':
    'L’assistant écoute sur {host}, au-delà de cette machine : le premier administrateur ne peut pas être créé depuis le web, car le premier venu sur cette page le posséderait. Définissez PCHAT_HADR_ADMIN_PASSWORD et redémarrez.',
  'session.signedInAs': 'Connecté en tant que {user}',
  'session.signOut': 'Se déconnecter',
  'form.errorSummary': 'Le formulaire n’a pas pu être envoyé :',
  'secrets.title': 'Mots de passe SQL Server',
  'secrets.intro':
    'Les mots de passe restent dans la mémoire de cette session : jamais enregistrés, journalisés ni exportés. La déconnexion, 8 heures d’inactivité ou un redémarrage les oublient.',
  'secrets.none':
    'Ce plan se connecte uniquement en authentification Windows intégrée : aucun mot de passe n’est nécessaire.',
  'secrets.caption': 'Connexions utilisées par ce plan',
  'secrets.label': 'Mot de passe de {principal} sur {server}',
  'secrets.roles': 'Utilisé pour : {roles}',
  'secrets.fromSession': 'Gardé pour cette session ; saisissez-en un nouveau pour le remplacer.',
  'secrets.fromEnvironment': 'Pris dans l’environnement, sauf si vous en saisissez un.',
  'secrets.missing': 'Nécessaire avant toute étape qui se connecte à ce serveur.',
  'secrets.submit': 'Garder pour cette session',
  'secrets.pending': 'Enregistrement en mémoire…',
  'secrets.saved': '{count} mot(s) de passe gardé(s) pour cette session.',
  'secrets.nothing': 'Aucun mot de passe saisi.',
  'secrets.signedOut': 'Votre session a pris fin. Reconnectez-vous.',
  'role.primary': 'magasin principal',
  'role.primaryMirror': 'miroir principal',
  'role.backup': 'magasin de sauvegarde',
  'role.backupMirror': 'miroir de sauvegarde',
  'role.monitor': 'moniteur',
};

/** The sign-in, setup and session texts of a locale, with `{name}` placeholders filled from `vars`. */
export function authText(
  locale: Locale,
): (key: AuthMessageKey, vars?: Record<string, string | number>) => string {
  const messages: AuthMessages = locale === 'fr' ? fr : en;
  return (key, vars) =>
    messages[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      vars && name in vars ? String(vars[name]) : whole,
    );
}
