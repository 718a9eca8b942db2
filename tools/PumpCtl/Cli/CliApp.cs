// The command line of pumpctl as a whole. `sim` and `simulate` belong to the virtual device
// (tools/VirtualDevice), which parses its own options: pumpctl forwards every word after
// them untouched, and lists them here so `pumpctl --help` shows the whole tool.
using System.CommandLine;
using PumpCtl.Serial;

namespace PumpCtl.Cli;

/// <summary>Builds and runs pumpctl's command line.</summary>
public static class CliApp
{
    /// <summary>Runs pumpctl with <paramref name="args"/>.</summary>
    /// <returns>An <see cref="ExitCodes"/> value.</returns>
    public static int Run(string[] args, ISerialLineOpener? pumpOpener = null, ISerialLineOpener? balanceOpener = null)
    {
        if (args.Length > 0 && args[0] == "sim")
        {
            return VirtualDeviceCommands.Sim(args[1..]);
        }
        if (args.Length > 0 && args[0] == "simulate")
        {
            return VirtualDeviceCommands.Simulate(args[1..]);
        }
        RootCommand root = Build(pumpOpener ?? SerialPortOpener.Pump, balanceOpener ?? new SerialPortOpener(9600, "\r\n"));
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                Console.Error.WriteLine($"pumpctl: {error.Message}");
            }
            string command = parsed.CommandResult.Command == root ? "" : parsed.CommandResult.Command.Name + " ";
            Console.Error.WriteLine($"See 'pumpctl {command}--help'.");
            return ExitCodes.Usage;
        }
        return parsed.Invoke();
    }

    /// <summary>The root command with every subcommand.</summary>
    public static RootCommand Build(ISerialLineOpener pumpOpener, ISerialLineOpener balanceOpener)
    {
        var root = new RootCommand(
            "pumpctl: the host tool of PumpFirmware. Talk to a pump over serial, program it from scripts, log and analyse its " +
            "flow, or run the virtual device. Exit codes: 0 ok, 1 device ERR or unusable data, 2 usage error, 3 port/communication failure. " +
            "See docs/PUMPCTL.md.");
        root.Add(PortsCommand.Create());
        root.Add(SendCommand.Create(pumpOpener));
        root.Add(RunCommand.Create(pumpOpener));
        root.Add(LogCommand.Create(pumpOpener, balanceOpener));
        root.Add(AnalyzeCommand.Create());
        root.Add(CalibrateCommand.Create(pumpOpener, balanceOpener));
        root.Add(MonitorCommand.Create(pumpOpener));
        root.Add(Forwarded("sim", "Run the virtual device on a pty or stdio (options: pumpctl sim --help; docs/VIRTUAL-DEVICE.md)."));
        root.Add(Forwarded("simulate", "Run a scenario file headless in virtual time (options: pumpctl simulate --help)."));
        return root;
    }

    // Only reached through `pumpctl --help`'s listing; Run forwards these words before parsing.
    private static Command Forwarded(string name, string description)
    {
        var command = new Command(name, description) { TreatUnmatchedTokensAsErrors = false };
        command.SetAction(r => name == "sim"
            ? VirtualDeviceCommands.Sim(r.UnmatchedTokens.ToArray())
            : VirtualDeviceCommands.Simulate(r.UnmatchedTokens.ToArray()));
        return command;
    }
}
