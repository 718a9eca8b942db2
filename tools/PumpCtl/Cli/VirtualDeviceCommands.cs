// `pumpctl sim` and `pumpctl simulate`: the virtual device's entry points
// (tools/VirtualDevice/Cli) behind the same command line as the rest, so their help, their
// value checks, their errors and their shell completion have the same form. The options are
// declared here for System.CommandLine; the words the user typed are then handed unchanged to
// the virtual device, which parses them itself (SimOptions, SimulateCommand), so it also runs
// without pumpctl. SimOptionsAgreementTests checks that both accept the same options.
using System.CommandLine;
using PumpFirmware.VirtualDevice.Cli;

namespace PumpCtl.Cli;

/// <summary>Builds <c>pumpctl sim</c> and <c>pumpctl simulate</c>.</summary>
public static class VirtualDeviceCommands
{
    /// <summary><c>pumpctl sim ...</c>, parsed by the virtual device.</summary>
    public static int Sim(string[] args) => SimCommand.Run(args);

    /// <summary><c>pumpctl simulate ...</c>, parsed by the virtual device.</summary>
    public static int Simulate(string[] args) => SimulateCommand.Run(args, Console.Out, Console.Error, ConsoleSuiteProgress.ForConsole());

    /// <summary>The <c>sim</c> command.</summary>
    public static Command CreateSim()
    {
        var command = new Command("sim",
            "Run the virtual device (the firmware on simulated peripherals) on a pseudo-terminal or stdio until Ctrl+C; " +
            "the first line printed is 'PTY <path>'. See docs/VIRTUAL-DEVICE.md.")
        {
            OptionValues.Flag("--pty", "Serve the protocol on a pseudo-terminal; prints 'PTY <path>' first (the default)"),
            OptionValues.Flag("--stdio", "Serve the protocol on stdin/stdout (ends with its input)"),
            OptionValues.Text("--link", "Also make <path> a symbolic link to the pty, a fixed name for scripts and terminals (removed at exit)",
                "path", required: false, "a path for the symbolic link, e.g. /tmp/pump"),
            OptionValues.Text("--state", "The pump's storage folder (default: a temporary one, removed at exit); an existing folder is a power-on",
                "dir", required: false, "a folder"),
            OptionValues.OneOf("--clock", "real: virtual time follows the host clock; manual: only SIM:ADVANCE moves it", "real", "real", "manual"),
            OptionValues.Flag("--balance-pty", "Also serve a simulated MT-SICS balance; prints 'BALANCE <path>'"),
            OptionValues.Integer("--seed", "Seed of the balance noise", int.MinValue, int.MaxValue, "", 1),
            OptionValues.Integer("--cal-error-ppm", "The pump head's true volume error in ppm: it delivers (1 + n/10^6) times nominal",
                -999_999, 1_000_000, "ppm", 0),
            OptionValues.Number("--pulsation", "Ripple of the volume per step within a revolution of the head, 0 to below 1", 0, 1, minInclusive: true, "", 0, maxInclusive: false),
            OptionValues.Integer("--max-steps-s", "The board's maximum step rate, steps per second", 1, 20000, "steps/s", 1000),
            OptionValues.OneOf("--plant", "Occlusion model: switch asserts at once; pressure builds pressure in a compliance, read by a pressure sensor (docs/BENCH.md)", "switch", "switch", "pressure"),
            OptionValues.Number("--compliance-ul", "With --plant pressure: compliance of head and catheter, µL per 100 mmHg", 0.01, 10000, minInclusive: true, "µL/100 mmHg", 10),
            OptionValues.Number("--leak-s", "With --plant pressure: time constant of the held volume's leak back, s (0 = none)", 0, 1e9, minInclusive: true, "s", 0),
            OptionValues.Integer("--battery-mah", "Battery powered: a simulated cell of this many mAh and the firmware's battery gauge (BATT?, ERI, EOS); default mains",
                1, 100_000, "mAh"),
        };
        command.SetAction(r => Sim(WordsAfter(r, "sim")));
        return command;
    }

    /// <summary>The <c>simulate</c> command.</summary>
    public static Command CreateSimulate()
    {
        var scenario = new Argument<string>("scenario") { Description = "A scenario file (.scn), or a folder to run every *.scn in it; the format is in docs/VIRTUAL-DEVICE.md" };
        scenario.CustomParser = r =>
        {
            string text = r.Tokens.Count == 0 ? "" : r.Tokens[^1].Value;
            if (!File.Exists(text) && !Directory.Exists(text))
            {
                r.AddError($"scenario '{text}' does not exist; expected a scenario file or folder, e.g. scenarios/baclofen-week.scn or scenarios/");
            }
            return text;
        };
        var command = new Command("simulate",
            "Run a scenario headless in virtual time (a week in about a second); write telemetry.csv, trace.txt and summary.txt. " +
            "Exit 0 when every expect held, 1 when one did not, 2 for a usage error or a malformed scenario.")
        {
            scenario,
            OptionValues.Text("--out", "Folder for the output files (default: sim-out/<scenario name>)", "dir", required: false, "a folder"),
            OptionValues.Integer("--seed", "Overrides the scenario's seed", int.MinValue, int.MaxValue, ""),
            SetOption(),
            OptionValues.Text("--junit", "Write JUnit XML: one testcase per scenario", "file", required: false, "a file path, e.g. junit.xml"),
            OptionValues.Text("--tap", "Write TAP version 13 (- for standard output)", "file|-", required: false, "a file path or -"),
            OptionValues.Integer("--jobs", "Scenarios run at once (default: the number of cores)", 1, 256, "jobs"),
            OptionValues.Flag("--update-golden", "Rewrite the golden traces instead of comparing (review the diff)"),
        };
        command.SetAction(r => Simulate(WordsAfter(r, "simulate")));
        return command;
    }

    // --set name=value, repeatable: a parameter's value for this run.
    private static Option<string[]> SetOption()
    {
        var option = new Option<string[]>("--set") { Description = "Override a scenario parameter (repeatable)", HelpName = "name=value", AllowMultipleArgumentsPerToken = false };
        option.CustomParser = r =>
        {
            var values = r.Tokens.Select(t => t.Value).ToArray();
            foreach (string v in values)
            {
                int eq = v.IndexOf('=');
                if (eq <= 0)
                {
                    r.AddError(OptionValues.Refused("--set", v, "name=value, e.g. --set rate=300"));
                }
            }
            return values;
        };
        return option;
    }

    // The words exactly as typed after the command's name.
    private static string[] WordsAfter(ParseResult r, string name)
    {
        var tokens = r.Tokens.Select(t => t.Value).ToList();
        int at = tokens.IndexOf(name);
        return tokens.Skip(at + 1).ToArray();
    }
}
