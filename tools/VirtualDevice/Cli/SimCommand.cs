// The entry point behind `pumpctl sim`. pumpctl (tools/PumpCtl) owns the command line as a
// whole and forwards everything after the word `sim` here, so the virtual device's options
// are defined and documented in one place (docs/VIRTUAL-DEVICE.md).
namespace PumpFirmware.VirtualDevice.Cli;

/// <summary>`pumpctl sim [--pty|--stdio] [--state DIR] [--clock real|manual] [--balance-pty] [--seed N]`.</summary>
public static class SimCommand
{
    /// <summary>Runs the virtual device until SIGINT/SIGTERM (or end of input with --stdio).</summary>
    /// <param name="args">The arguments after `sim`.</param>
    /// <returns>0 on a clean end, 1 on a runtime failure, 2 on a usage error.</returns>
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("pumpctl sim: not implemented yet (issue 4, in progress)");
        return 2;
    }
}
