// The entry point behind `pumpctl simulate <scenario>`: runs a scenario file headless in
// virtual time and writes telemetry CSV, a diffable trace and a summary table.
namespace PumpFirmware.VirtualDevice.Cli;

/// <summary>`pumpctl simulate &lt;scenario.scn&gt; [--out DIR] [--seed N] [--balance]`.</summary>
public static class SimulateCommand
{
    /// <summary>Runs one scenario to its end.</summary>
    /// <param name="args">The arguments after `simulate`.</param>
    /// <returns>0 when the scenario ran, 1 when it failed (a step's expectation), 2 on a usage error.</returns>
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("pumpctl simulate: not implemented yet (issue 4, in progress)");
        return 2;
    }
}
