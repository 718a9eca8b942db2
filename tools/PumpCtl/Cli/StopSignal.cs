// The long-running commands (log, monitor) end cleanly on Ctrl+C and on SIGTERM (systemd,
// `kill`, a CI timeout): the token fires, the loop finishes its row, telemetry is switched off.
using System.Runtime.InteropServices;

namespace PumpCtl.Cli;

/// <summary>A cancellation token that fires on SIGINT (Ctrl+C) or SIGTERM while it is alive.</summary>
public sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    /// <summary>Starts listening.</summary>
    public StopSignal()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    }

    /// <summary>Fires when a stop was asked for.</summary>
    public CancellationToken Token => _source.Token;

    private void Stop(PosixSignalContext context)
    {
        // Keep the process alive: the command ends on its own once it sees the token.
        context.Cancel = true;
        _source.Cancel();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _source.Dispose();
    }
}
