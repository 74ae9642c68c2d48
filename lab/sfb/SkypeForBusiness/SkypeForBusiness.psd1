# The lab's stand-in for the Skype for Business Server 2015 Management Shell module: the Persistent Chat HA/DR
# cmdlets with their documented parameters, acting on the rehearsal lab through its control API.
@{
    RootModule           = 'SkypeForBusiness.psm1'
    ModuleVersion        = '6.0.9319.0'
    GUID                 = '5b7a3f1e-3c1d-4f4b-9a59-2f0c7d1e8a11'
    Author               = 'pchat-hadr lab'
    Description          = 'pchat-hadr rehearsal lab: Persistent Chat HA/DR cmdlets of the SkypeForBusiness module.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Core', 'Desktop')
    FunctionsToExport    = @(
        'Get-CsService',
        'Get-CsDatabaseMirrorState',
        'Invoke-CsDatabaseFailover',
        'Get-CsPersistentChatState',
        'Set-CsPersistentChatState',
        'Set-CsPersistentChatActiveServer',
        'Install-CsMirrorDatabase'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
}
