// Everything `pumpctl log` was asked to do, validated by the command line before the logger runs.
namespace PumpCtl.Telemetry;

/// <summary>Options of one logging run.</summary>
public sealed record LogOptions
{
    /// <summary>The pump's port.</summary>
    public required string Port { get; init; }

    /// <summary>Telemetry period, s (1 to 3600, PROTOCOL.md's range for <c>TEL</c>).</summary>
    public required int PeriodSeconds { get; init; }

    /// <summary>How long to log; null = until Ctrl+C.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>The balance's port; null = no mass column.</summary>
    public string? BalancePort { get; init; }

    /// <summary>Send requests with a CRC suffix.</summary>
    public bool UseCrc { get; init; }

    /// <summary>
    /// Drive a virtual device whose clock is manual: after each period of telemetry, send
    /// <c>SIM:ADVANCE &lt;period&gt;</c> instead of waiting, so hours of virtual time log in seconds.
    /// <see cref="Duration"/> then counts virtual time.
    /// </summary>
    public bool SimAdvance { get; init; }

    /// <summary>The longest wait between reconnect attempts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);
}
