// The seed procedure's operator steps, counted from "Configure high availability and disaster recovery for Persistent
// Chat Server in Skype for Business Server 2015" (fr-FR seed and en-US original, same numbering). Every numbered step
// is one thing an operator does by hand; the letters under A.2 are separate edits in Topology Builder.

export interface SeedSection {
  id: 'A' | 'B' | 'C';
  title: string;
  /** Numbered steps in the section. */
  numbered: number;
  /** Lettered sub-steps under a numbered step (A.2 a–f), counted apart. */
  lettered: number;
  /** Unnumbered prerequisite instructions in the section's lead-in paragraph. */
  unnumbered: number;
  note: string;
}

export const seedSections: readonly SeedSection[] = [
  {
    id: 'A',
    title: 'Use Topology Builder to configure high availability and disaster recovery',
    numbered: 2,
    lettered: 6,
    unnumbered: 0,
    note: 'A.1 add stores; A.2 edit the service properties, with a–f (enable mirroring, add mirror store, enable log shipping, add secondary store, add its mirror, publish)',
  },
  {
    id: 'B',
    title: 'Set up SQL Server log shipping for the Persistent Chat Server primary database',
    numbered: 20,
    lettered: 0,
    unnumbered: 2,
    note: 'B.1–B.20 in SSMS; lead-in: connect to the secondary and check Agent runs, then connect to the primary',
  },
  {
    id: 'C',
    title: 'Set up SQL Server log shipping between the primary mirror and the secondary database',
    numbered: 22,
    lettered: 0,
    unnumbered: 0,
    note: 'C.1 failover (Invoke-CsDatabaseFailover), C.2–C.21 in SSMS incl. the hand-run half script (C.20), C.22 failback',
  },
];

/** Totals of the seed's steps: numbered only, and with A.2's lettered edits and the lead-in instructions counted too. */
export function seedStepCount(sections: readonly SeedSection[] = seedSections) {
  const numbered = sections.reduce((n, s) => n + s.numbered, 0);
  const lettered = sections.reduce((n, s) => n + s.lettered, 0);
  const unnumbered = sections.reduce((n, s) => n + s.unnumbered, 0);
  return { numbered, withSubSteps: numbered + lettered, withLeadIns: numbered + lettered + unnumbered };
}
