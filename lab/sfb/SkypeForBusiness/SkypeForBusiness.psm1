# Lab SkypeForBusiness module. Every cmdlet validates its parameters as documented, then calls the lab's
# loopback control API (PCHAT_LAB_CONTROL_URL) on /sfb/... and writes the returned objects, verbose lines and
# warnings; a failure becomes a terminating error with the lab's error id and category.
Set-StrictMode -Version 3.0
# Module scope: any failure inside these functions (a declined or impossible confirmation prompt included) stops the
# cmdlet instead of running on to the change it guards.
$ErrorActionPreference = 'Stop'

function Invoke-SfbLabRequest {
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [ValidateSet('GET', 'POST')] [string] $Method,
        [Parameter(Mandatory)] [string] $Path,
        [hashtable] $Query,
        [hashtable] $Body
    )
    $base = $env:PCHAT_LAB_CONTROL_URL
    if ([string]::IsNullOrWhiteSpace($base)) {
        $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.InvalidOperationException]::new('PCHAT_LAB_CONTROL_URL is not set: this SkypeForBusiness module drives the pchat-hadr lab and needs its control API address.'),
            'LabControlUrlMissing', [System.Management.Automation.ErrorCategory]::ResourceUnavailable, $null))
    }
    $uri = $base.TrimEnd('/') + $Path
    if ($Query) {
        $pairs = foreach ($key in $Query.Keys) {
            # Unbound [string] parameters are '' rather than $null; neither is sent.
            if (-not [string]::IsNullOrEmpty([string]$Query[$key])) { [uri]::EscapeDataString($key) + '=' + [uri]::EscapeDataString([string]$Query[$key]) }
        }
        if ($pairs) { $uri += '?' + ($pairs -join '&') }
    }
    # -Verbose on a cmdlet is for its own messages, not for the lab's HTTP traffic.
    $request = @{ Method = $Method; Uri = $uri; ErrorAction = 'Stop'; Verbose = $false }
    if ($Method -eq 'POST') {
        $request.ContentType = 'application/json; charset=utf-8'
        $request.Body = [System.Text.Encoding]::UTF8.GetBytes((ConvertTo-Json -InputObject $Body -Depth 6 -Compress))
    }
    try {
        $reply = Invoke-RestMethod @request
    }
    catch {
        $message = $_.Exception.Message
        $errorId = 'LabControlFailed'
        $category = [System.Management.Automation.ErrorCategory]::ConnectionError
        if ($_.ErrorDetails -and $_.ErrorDetails.Message) {
            try {
                $detail = (ConvertFrom-Json -InputObject $_.ErrorDetails.Message).error
                $message = $detail.message
                $errorId = $detail.errorId
                $category = [System.Management.Automation.ErrorCategory]$detail.category
            }
            catch { $message = $_.ErrorDetails.Message }
        }
        $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.InvalidOperationException]::new($message), $errorId, $category, $null))
    }
    foreach ($line in @($reply.verbose)) { if ($null -ne $line) { $Cmdlet.WriteVerbose($line) } }
    foreach ($line in @($reply.warnings)) { if ($null -ne $line) { $Cmdlet.WriteWarning($line) } }
    , @($reply.objects | Where-Object { $null -ne $_ })
}

function ConvertTo-SfbObject {
    param([Parameter(Mandatory)] [string] $TypeName, [object[]] $InputObject)
    foreach ($item in $InputObject) {
        $item.PSObject.TypeNames.Insert(0, $TypeName)
        $item
    }
}

function Write-SfbReport {
    param([string] $Report, [object[]] $InputObject, [string] $Title)
    if ($Report) { $InputObject | ConvertTo-Html -Title $Title | Set-Content -LiteralPath $Report -Encoding utf8 }
}

<#
.SYNOPSIS
Returns information about the services and server roles of the topology (lab: the Persistent Chat pool and its stores).
#>
function Get-CsService {
    [CmdletBinding(DefaultParameterSetName = 'Identity')]
    param(
        [Parameter(ParameterSetName = 'Identity', Position = 0)] [string] $Identity,
        [Parameter(ParameterSetName = 'Filter')] [string] $Filter,
        [Parameter(ParameterSetName = 'PersistentChatServer', Mandatory)] [switch] $PersistentChatServer,
        [Parameter(ParameterSetName = 'PersistentChatDatabase', Mandatory)] [switch] $PersistentChatDatabase,
        [Parameter(ParameterSetName = 'PersistentChatComplianceDatabase', Mandatory)] [switch] $PersistentChatComplianceDatabase,
        [string] $PoolFqdn
    )
    $role = switch ($PSCmdlet.ParameterSetName) {
        'PersistentChatServer' { 'PersistentChatServer' }
        'PersistentChatDatabase' { 'PersistentChatStore' }
        'PersistentChatComplianceDatabase' { 'PersistentChatComplianceStore' }
        default { $null }
    }
    $objects = Invoke-SfbLabRequest -Cmdlet $PSCmdlet -Method GET -Path '/sfb/services' -Query @{
        role = $role; poolFqdn = $PoolFqdn; identity = $Identity; filter = $Filter
    }
    foreach ($service in $objects) {
        $type = switch ($service.Role) {
            'PersistentChatServer' { 'Microsoft.Rtc.Management.Xds.DisplayPersistentChatServer' }
            default { 'Microsoft.Rtc.Management.Xds.DisplaySqlServerStore' }
        }
        ConvertTo-SfbObject -TypeName $type -InputObject $service
    }
}

<#
.SYNOPSIS
Returns the mirroring state of the databases of a pool.
#>
function Get-CsDatabaseMirrorState {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [ValidateNotNullOrEmpty()] [string] $PoolFqdn,
        [ValidateSet('ActiveMonitoring', 'Application', 'Archiving', 'CentralMgmt', 'Edge', 'Lyss', 'Monitoring',
            'PersistentChat', 'PersistentChatCompliance', 'Provision', 'Registrar', 'SigninTelemetry', 'User')]
        [string] $DatabaseType,
        [switch] $LocalStore,
        [string] $Report
    )
    $objects = Invoke-SfbLabRequest -Cmdlet $PSCmdlet -Method GET -Path '/sfb/mirror-state' -Query @{
        poolFqdn = $PoolFqdn; databaseType = $DatabaseType
    }
    $states = @(ConvertTo-SfbObject -TypeName 'Microsoft.Rtc.Management.Deployment.DatabaseMirrorState' -InputObject $objects)
    Write-SfbReport -Report $Report -InputObject $states -Title 'Database mirror state'
    $states
}

<#
.SYNOPSIS
Fails the databases of a pool over to their mirror (-NewPrincipal Mirror) or back to the primary (-NewPrincipal Primary).
#>
function Invoke-CsDatabaseFailover {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)]
        [ValidateSet('ActiveMonitoring', 'Application', 'Archiving', 'CentralMgmt', 'Edge', 'Lyss', 'Monitoring',
            'PersistentChat', 'PersistentChatCompliance', 'Provision', 'Registrar', 'SigninTelemetry', 'User')]
        [string] $DatabaseType,
        [Parameter(Mandatory)] [ValidateSet('Primary', 'Mirror')] [string] $NewPrincipal,
        [Parameter(Mandatory)] [ValidateNotNullOrEmpty()] [string] $PoolFqdn,
        [string[]] $ExcludeDatabaseList,
        [switch] $Force,
        [switch] $LocalStore,
        [string] $Report
    )
    if (-not $PSCmdlet.ShouldProcess("$DatabaseType databases of pool $PoolFqdn", "Fail over to $NewPrincipal")) { return }
    $null = Invoke-SfbLabRequest -Cmdlet $PSCmdlet -Method POST -Path '/sfb/database-failover' -Body @{
        poolFqdn = $PoolFqdn; databaseType = $DatabaseType; newPrincipal = $NewPrincipal
        force = [bool]$Force; excludeDatabaseList = $ExcludeDatabaseList
    }
    if ($Report) { Set-Content -LiteralPath $Report -Encoding utf8 -Value "<html><body>Failover of $DatabaseType on $PoolFqdn to $NewPrincipal completed.</body></html>" }
}

<#
.SYNOPSIS
Returns the state (Normal or FailedOver) of Persistent Chat pools.
#>
function Get-CsPersistentChatState {
    [CmdletBinding(DefaultParameterSetName = 'Identity')]
    param(
        [Parameter(ParameterSetName = 'Identity', Position = 0)] [string] $Identity,
        [Parameter(ParameterSetName = 'Filter')] [string] $Filter,
        [switch] $LocalStore
    )
    $objects = Invoke-SfbLabRequest -Cmdlet $PSCmdlet -Method GET -Path '/sfb/persistent-chat-state' -Query @{
        identity = $Identity; filter = $Filter
    }
    ConvertTo-SfbObject -TypeName 'Microsoft.Rtc.Management.WritableConfig.Settings.PersistentChat.PersistentChatState' -InputObject $objects
}

<#
.SYNOPSIS
Sets the state of a Persistent Chat pool: FailedOver (use the backup store) or Normal.
#>
function Set-CsPersistentChatState {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', DefaultParameterSetName = 'Identity')]
    param(
        [Parameter(ParameterSetName = 'Identity', Position = 0)] [string] $Identity,
        [Parameter(ParameterSetName = 'Instance', ValueFromPipeline)] [psobject] $Instance,
        [ValidateSet('Normal', 'FailedOver')] [string] $PoolState = 'Normal',
        [switch] $Force
    )
    process {
        $target = if ($PSCmdlet.ParameterSetName -eq 'Instance') { [string]$Instance.Identity } else { $Identity }
        if (-not $PSCmdlet.ShouldProcess($(if ($target) { $target } else { 'Persistent Chat pool' }), "Set PoolState to $PoolState")) { return }
        $null = Invoke-SfbLabRequest -Cmdlet $PSCmdlet -Method POST -Path '/sfb/persistent-chat-state' -Body @{
            identity = $target; poolState = $PoolState
        }
    }
}

<#
.SYNOPSIS
Manages the list of active Persistent Chat servers (add, remove, replace or clear with $null; or -Swap).
#>
function Set-CsPersistentChatActiveServer {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', DefaultParameterSetName = 'Explicit')]
    param(
        [Parameter(Position = 0)] [string] $Identity,
        [Parameter(ParameterSetName = 'Explicit', Mandatory)] [AllowNull()]
        [System.Management.Automation.PSListModifier[string]] $ActiveServers,
        [Parameter(ParameterSetName = 'Swap', Mandatory)] [switch] $Swap,
        [switch] $Force
    )
    if (-not $PSCmdlet.ShouldProcess($(if ($Identity) { $Identity } else { 'Persistent Chat server collection' }), 'Set active servers')) { return }
    $body = @{ identity = $(if ($Identity) { $Identity } else { $null }) }
    if ($PSCmdlet.ParameterSetName -eq 'Swap') {
        $body.swap = $true
    }
    elseif ($null -eq $ActiveServers) {
        $body.activeServers = $null
    }
    else {
        $change = @{ add = @($ActiveServers.Add); remove = @($ActiveServers.Remove) }
        if ($ActiveServers.Replace.Count -gt 0 -or ($ActiveServers.Add.Count -eq 0 -and $ActiveServers.Remove.Count -eq 0)) {
            $change.replace = @($ActiveServers.Replace)
        }
        $body.activeServers = $change
    }
    $null = Invoke-SfbLabRequest -Cmdlet $PSCmdlet -Method POST -Path '/sfb/active-servers' -Body $body
}

<#
.SYNOPSIS
Mirrors databases from a primary SQL Server store to the mirror the topology defines for it.
#>
function Install-CsMirrorDatabase {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High', DefaultParameterSetName = 'ByDatabase')]
    param(
        [Parameter(ParameterSetName = 'ByConfigured', Mandatory)] [switch] $ConfiguredDatabases,
        [Parameter(ParameterSetName = 'ByDatabase', Mandatory)]
        [ValidateSet('ActiveMonitoring', 'Application', 'Archiving', 'CentralMgmt', 'Edge', 'Lyss', 'Monitoring',
            'PersistentChat', 'PersistentChatCompliance', 'Provision', 'Registrar', 'SigninTelemetry', 'User')]
        [string] $DatabaseType,
        [Parameter(Mandatory)] [ValidateNotNullOrEmpty()] [string] $FileShare,
        [Parameter(Mandatory)] [ValidateNotNullOrEmpty()] [string] $SqlServerFqdn,
        [Parameter(ParameterSetName = 'ByDatabase')] [string] $SqlInstanceName,
        [Parameter(ParameterSetName = 'ByConfigured')] [string] $ForInstance,
        [Parameter(ParameterSetName = 'ByConfigured')] [switch] $ForDefaultInstance,
        [hashtable] $DatabasePathMap,
        [switch] $DropExistingDatabasesOnMirror,
        [string[]] $ExcludeDatabaseList,
        [string] $Report
    )
    $body = @{
        databaseType = $(if ($PSCmdlet.ParameterSetName -eq 'ByDatabase') { $DatabaseType } else { $null })
        sqlServerFqdn = $SqlServerFqdn
        sqlInstanceName = $(if ($SqlInstanceName) { $SqlInstanceName } elseif ($ForInstance) { $ForInstance } else { $null })
        fileShare = $FileShare
        dropExistingDatabasesOnMirror = [bool]$DropExistingDatabasesOnMirror
        excludeDatabaseList = $ExcludeDatabaseList
        dryRun = $true
    }
    # As the real cmdlet does, show every database it will mirror before asking.
    $plan = Invoke-SfbLabRequest -Cmdlet $PSCmdlet -Method POST -Path '/sfb/mirror-database' -Body $body
    foreach ($line in $plan) { Write-Host $line }
    if (-not $PSCmdlet.ShouldProcess($SqlServerFqdn, 'Install mirror databases')) { return }
    $body.dryRun = $false
    $null = Invoke-SfbLabRequest -Cmdlet $PSCmdlet -Method POST -Path '/sfb/mirror-database' -Body $body
    if ($Report) { $plan | Set-Content -LiteralPath $Report -Encoding utf8 }
}
