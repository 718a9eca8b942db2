// Every option and argument of every command, given a bad value (a fraction where a whole
// number is expected, a word where a number is, 0 where a positive value is, a value out of
// range, an empty path, a value for a flag): exit 2, one line on stderr that names the option,
// the value and what is accepted, nothing on stdout, never a stack trace. The last test walks
// the command tree, so a new option (or command) without a row here fails it.
using System.CommandLine;
using PumpCtl.Cli;
using PumpCtl.Tests.Fakes;
using Xunit;

namespace PumpCtl.Tests.Cli;

[Collection("Console")]
public sealed class OptionTableTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pumpctl-options-" + Guid.NewGuid().ToString("N"));

    public OptionTableTests()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "script.txt"), "STATUS?\n");
        File.WriteAllText(Path.Combine(_dir, "run.csv"), "t_ms,delivered_ul,rate_ul_day\n0,0,1200\n");
    }

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>(command, option or argument, bad value, what the message must say is accepted).</summary>
    public static TheoryData<string, string, string, string> Table => new()
    {
        { "send", "line", "", "one non-empty protocol line" },
        { "send", "--port", "", "a serial port's path" },
        { "send", "--timeout", "abc", "a number more than 0 up to 600 s" },
        { "send", "--timeout", "0", "a number more than 0 up to 600 s" },
        { "send", "--timeout", "601", "a number more than 0 up to 600 s" },
        { "send", "--timeout", "NaN", "a number more than 0 up to 600 s" },
        { "send", "--wait", "-1", "a number from 0 up to 86400 s" },
        { "send", "--wait", "soon", "a number from 0 up to 86400 s" },
        { "send", "--crc", "=maybe", "no value: --crc alone switches it on" },
        { "run", "script", "/no/such/script.txt", "expected an existing file" },
        { "run", "script", "/tmp", "expected a file" },
        { "run", "--port", "", "a serial port's path" },
        { "run", "--timeout", "0", "a number more than 0 up to 600 s" },
        { "run", "--crc", "=1", "no value" },
        { "run", "--quiet", "=yes", "no value: --quiet alone switches it on" },
        { "console", "--port", "", "a serial port's path" },
        { "console", "--timeout", "x", "a number more than 0 up to 600 s" },
        { "console", "--crc", "=on", "no value" },
        { "log", "--port", "", "a serial port's path" },
        { "log", "--period", "1.5", "a whole number from 1 to 3600 s" },
        { "log", "--period", "ten", "a whole number from 1 to 3600 s" },
        { "log", "--period", "0", "a whole number from 1 to 3600 s" },
        { "log", "--period", "3601", "a whole number from 1 to 3600 s" },
        { "log", "--out", "", "a file path" },
        { "log", "--duration", "soon", DurationParser.Forms },
        { "log", "--duration", "0", DurationParser.Forms },
        { "log", "--duration", "-5m", DurationParser.Forms },
        { "log", "--balance", "", "a serial port's path" },
        { "log", "--balance-baud", "9600.5", "a whole number from 300 to 1000000 baud" },
        { "log", "--balance-baud", "0", "a whole number from 300 to 1000000 baud" },
        { "log", "--overwrite", "=yes", "no value" },
        { "log", "--sim-advance", "=1", "no value" },
        { "log", "--crc", "=x", "no value" },
        { "hist", "--port", "", "a serial port's path" },
        { "hist", "--days", "1.5", "a whole number from 1 to 31 days" },
        { "hist", "--days", "0", "a whole number from 1 to 31 days" },
        { "hist", "--days", "32", "a whole number from 1 to 31 days" },
        { "hist", "--csv", "", "a file path" },
        { "hist", "--plot", "hist.gif", "a figure file ending in .png, .svg or .pdf" },
        { "hist", "--plot", "", "a figure file ending in .png, .svg or .pdf" },
        { "hist", "--overwrite", "=yes", "no value: --overwrite alone switches it on" },
        { "hist", "--crc", "=x", "no value" },
        { "hist", "--timeout", "0", "a number more than 0 up to 600 s" },
        { "lib list", "drug", "mor phine", "a drug name of 1 to 16 letters, digits, '_' or '-'" },
        { "lib list", "--port", "", "a serial port's path" },
        { "lib list", "--csv", "", "a file path" },
        { "lib list", "--json", "", "a file path" },
        { "lib list", "--overwrite", "=yes", "no value: --overwrite alone switches it on" },
        { "lib list", "--crc", "=x", "no value" },
        { "lib list", "--timeout", "0", "a number more than 0 up to 600 s" },
        { "lib set", "drug", "morphine!", "a drug name of 1 to 16 letters, digits, '_' or '-'" },
        { "lib set", "--max-conc-ug-ml", "0", "a number from 0.001 to 100000 with at most 3 decimals, or NONE" },
        { "lib set", "--max-conc-ug-ml", "20 mg", "a number from 0.001 to 100000 with at most 3 decimals, or NONE" },
        { "lib set", "--max-ug-day", "1.0001", "a number from 0.001 to 100000000 with at most 3 decimals, or NONE" },
        { "lib set", "--max-ug-day", "1e3", "a number from 0.001 to 100000000 with at most 3 decimals, or NONE" },
        { "lib set", "--max-step-ug-day", "-1", "a number from 0 to 100000000 with at most 3 decimals, or NONE" },
        { "lib set", "--max-increases-7d", "1.5", "a whole number from 0 to 100, or NONE" },
        { "lib set", "--max-increases-7d", "101", "a whole number from 0 to 100, or NONE" },
        { "lib set", "--max-increase-7d-ug-day", "lots", "a number from 0 to 100000000 with at most 3 decimals, or NONE" },
        { "lib set", "--max-increase-7d-ug-day", "100000000.5", "a number from 0 to 100000000 with at most 3 decimals, or NONE" },
        { "lib set", "--keep", "=1", "no value: --keep alone switches it on" },
        { "lib set", "--port", "", "a serial port's path" },
        { "lib set", "--pin", "12a4", "4 to 8 digits" },
        { "lib set", "--pin", "123", "4 to 8 digits" },
        { "lib set", "--crc", "=x", "no value" },
        { "lib set", "--timeout", "0", "a number more than 0 up to 600 s" },
        { "lib clear", "drug", "abcdefghijklmnopq", "a drug name of 1 to 16 letters, digits, '_' or '-'" },
        { "lib clear", "--port", "", "a serial port's path" },
        { "lib clear", "--pin", "123456789", "4 to 8 digits" },
        { "lib clear", "--crc", "=x", "no value" },
        { "lib clear", "--timeout", "0", "a number more than 0 up to 600 s" },
        { "analyze", "log", "/no/such/run.csv", "expected an existing file" },
        { "analyze", "--out", "", "a folder path" },
        { "analyze", "--source", "weight", "one of volume, mass" },
        { "analyze", "--rate-ul-h", "abc", "a number more than 0 up to 1000000 µL/h" },
        { "analyze", "--rate-ul-h", "0", "a number more than 0 up to 1000000 µL/h" },
        { "analyze", "--rate-ul-h", "-5", "a number more than 0 up to 1000000 µL/h" },
        { "analyze", "--dt-s", "1.5", "a whole number from 1 to 3600 s" },
        { "analyze", "--dt-s", "0", "a whole number from 1 to 3600 s" },
        { "analyze", "--t2-start-min", "-1", "a whole number from 0 to 1000000 min" },
        { "analyze", "--t2-start-min", "x", "a whole number from 0 to 1000000 min" },
        { "analyze", "--t2-min", "0", "a whole number from 1 to 1000000 min" },
        { "analyze", "--t2-min", "2.5", "a whole number from 1 to 1000000 min" },
        { "analyze", "--density", "0", "a number more than 0.1 up to 25 g/mL" },
        { "analyze", "--density", "water", "a number more than 0.1 up to 25 g/mL" },
        { "analyze", "--density", "25.1", "a number more than 0.1 up to 25 g/mL" },
        { "analyze", "--mass-col", "", "a column name" },
        { "analyze", "--mass-unit", "lb", "one of g, mg, ug, kg" },
        { "analyze", "--balance-log", "/no/such/balance.csv", "an existing file" },
        { "analyze", "--balance-time-col", "", "a column name" },
        { "analyze", "--format", "gif", "one of png, svg, pdf" },
        { "analyze", "--dpi", "49", "a whole number from 50 to 1200 dpi" },
        { "analyze", "--dpi", "96.5", "a whole number from 50 to 1200 dpi" },
        { "analyze", "--size", "9by5", "WxH in inches" },
        { "analyze", "--size", "100x5", "each side 1 to 40 in" },
        { "calibrate", "--port", "", "a serial port's path" },
        { "calibrate", "--balance", "", "a serial port's path" },
        { "calibrate", "--balance-baud", "0", "a whole number from 300 to 1000000 baud" },
        { "calibrate", "--volume-ul", "0.5", "a whole number from 1 to 100000 µL" },
        { "calibrate", "--volume-ul", "0", "a whole number from 1 to 100000 µL" },
        { "calibrate", "--runs", "21", "a whole number from 1 to 20 runs" },
        { "calibrate", "--density", "0", "a number more than 0.1 up to 25 g/mL" },
        { "calibrate", "--resolution-mg", "0", "a number more than 0 up to 1000 mg" },
        { "calibrate", "--refill", "-5", "a whole number from 1 to 1000000 µL" },
        { "calibrate", "--refill", "2.5", "a whole number from 1 to 1000000 µL" },
        { "calibrate", "--pin", "12a4", "4 to 8 digits" },
        { "calibrate", "--sim-advance", "=1", "no value" },
        { "calibrate", "--yes", "=1", "no value" },
        { "calibrate", "--crc", "=x", "no value" },
        { "calibrate", "--timeout", "0", "a number more than 0 up to 600 s" },
        { "monitor", "--port", "", "a serial port's path" },
        { "monitor", "--interval", "0.05", "a number from 0.1 up to 3600 s" },
        { "monitor", "--interval", "fast", "a number from 0.1 up to 3600 s" },
        { "monitor", "--crc", "=x", "no value" },
        { "sim", "--pty", "=1", "no value" },
        { "sim", "--stdio", "=1", "no value" },
        { "sim", "--link", "", "a path for the symbolic link" },
        { "sim", "--state", "", "a folder" },
        { "sim", "--clock", "sometimes", "one of real, manual" },
        { "sim", "--balance-pty", "=no", "no value" },
        { "sim", "--seed", "1.5", "a whole number from -2147483648 to 2147483647" },
        { "sim", "--cal-error-ppm", "-1000000", "a whole number from -999999 to 1000000 ppm" },
        { "sim", "--cal-error-ppm", "x", "a whole number from -999999 to 1000000 ppm" },
        { "sim", "--pulsation", "1", "a number from 0 below 1" },
        { "sim", "--battery-mah", "0", "a whole number from 1 to 100000 mAh" },
        { "sim", "--battery-mah", "x", "a whole number from 1 to 100000 mAh" },
        { "sim", "--pulsation", "-0.1", "a number from 0 below 1" },
        { "sim", "--max-steps-s", "0", "a whole number from 1 to 20000 steps/s" },
        { "sim", "--max-steps-s", "20001", "a whole number from 1 to 20000 steps/s" },
        { "simulate", "scenario", "/no/such.scn", "expected a scenario file" },
        { "simulate", "--out", "", "a folder" },
        { "simulate", "--seed", "q", "a whole number from -2147483648 to 2147483647" },
        { "simulate", "--set", "rate", "name=value" },
        { "simulate", "--junit", "", "a file path" },
        { "simulate", "--tap", "", "a file path or -" },
        { "simulate", "--jobs", "0", "a whole number from 1 to 256 jobs" },
        { "simulate", "--update-golden", "=1", "no value" },
        { "bench occlusion", "--port", "", "a serial port's path" },
        { "bench occlusion", "--balance", "", "a serial port's path" },
        { "bench occlusion", "--balance-baud", "0", "a whole number from 300 to 1000000 baud" },
        { "bench occlusion", "--sim", "=1", "no value: --sim alone switches it on" },
        { "bench occlusion", "--sim-advance", "=1", "no value" },
        { "bench occlusion", "--seed", "1.5", "a whole number from -2147483648 to 2147483647" },
        { "bench occlusion", "--cal-error-ppm", "-1000000", "a whole number from -999999 to 1000000 ppm" },
        { "bench occlusion", "--density", "0", "a number more than 0.1 up to 25 g/mL" },
        { "bench occlusion", "--pin", "12a4", "4 to 8 digits" },
        { "bench occlusion", "--refill", "2.5", "a whole number from 1 to 1000000 µL" },
        { "bench occlusion", "--out", "", "a folder path" },
        { "bench occlusion", "--crc", "=x", "no value" },
        { "bench occlusion", "--timeout", "0", "a number more than 0 up to 600 s" },
        { "bench bolus", "--port", "", "a serial port's path" },
        { "bench bolus", "--balance", "", "a serial port's path" },
        { "bench bolus", "--balance-baud", "0", "a whole number from 300 to 1000000 baud" },
        { "bench bolus", "--sim", "=1", "no value: --sim alone switches it on" },
        { "bench bolus", "--sim-advance", "=1", "no value" },
        { "bench bolus", "--seed", "1.5", "a whole number from -2147483648 to 2147483647" },
        { "bench bolus", "--cal-error-ppm", "-1000000", "a whole number from -999999 to 1000000 ppm" },
        { "bench bolus", "--density", "0", "a number more than 0.1 up to 25 g/mL" },
        { "bench bolus", "--pin", "12a4", "4 to 8 digits" },
        { "bench bolus", "--refill", "2.5", "a whole number from 1 to 1000000 µL" },
        { "bench bolus", "--out", "", "a folder path" },
        { "bench bolus", "--crc", "=x", "no value" },
        { "bench bolus", "--timeout", "0", "a number more than 0 up to 600 s" },
        { "bench occlusion", "--rate-ul-h", "0", "a number more than 0 up to 100000 µL/h" },
        { "bench occlusion", "--rate-ul-h", "fast", "a number more than 0 up to 100000 µL/h" },
        { "bench occlusion", "--limit-mmhg", "9", "a number from 10 up to 2000 mmHg" },
        { "bench occlusion", "--limit-mmhg", "high", "a number from 10 up to 2000 mmHg" },
        { "bench occlusion", "--settle-min", "-1", "a number from 0 up to 10000 min" },
        { "bench occlusion", "--sample-s", "0.5", "a number from 1 up to 3600 s" },
        { "bench occlusion", "--max-min", "0", "a number more than 0 up to 100000 min" },
        { "bench occlusion", "--collect-s", "0", "a number from 1 up to 3600 s" },
        { "bench occlusion", "--compliance-ul", "0", "a number from 0.01 up to 10000 µL/100 mmHg" },
        { "bench occlusion", "--leak-s", "-1", "a number from 0 up to 1000000000 s" },
        { "bench occlusion", "--format", "gif", "one of png, svg, pdf" },
        { "bench bolus", "--sizes-ul", "5,x,500", "1 to 10 different volumes from 0.001 to 100000 µL" },
        { "bench bolus", "--sizes-ul", "5,5", "1 to 10 different volumes" },
        { "bench bolus", "--sizes-ul", "0", "1 to 10 different volumes" },
        { "bench bolus", "--repeats", "0", "a whole number from 1 to 1000 boluses" },
        { "bench bolus", "--repeats", "2.5", "a whole number from 1 to 1000 boluses" },
        { "bench bolus", "--settle-s", "601", "a number from 0 up to 600 s" },
        { "sim", "--plant", "valve", "one of switch, pressure" },
        { "sim", "--compliance-ul", "0", "a number from 0.01 up to 10000 µL/100 mmHg" },
        { "sim", "--compliance-ul", "big", "a number from 0.01 up to 10000 µL/100 mmHg" },
        { "sim", "--leak-s", "-5", "a number from 0 up to 1000000000 s" },
        { "completion", "shell", "fish", "one of bash, zsh, powershell" },
        { "help", "command", "frob", "not a pumpctl command" },
    };

    // A valid command line for each command, as (arguments in order, options by name).
    private (List<string> Arguments, Dictionary<string, string?> Options) Valid(string command) => command switch
    {
        "send" => (new() { "STATUS?" }, new() { ["--port"] = "/dev/fake" }),
        "run" => (new() { Path.Combine(_dir, "script.txt") }, new() { ["--port"] = "/dev/fake" }),
        "console" => (new(), new() { ["--port"] = "/dev/fake" }),
        "log" => (new(), new() { ["--port"] = "/dev/fake", ["--period"] = "10", ["--out"] = Path.Combine(_dir, "out.csv") }),
        "analyze" => (new() { Path.Combine(_dir, "run.csv") }, new() { ["--out"] = Path.Combine(_dir, "analysis") }),
        "monitor" => (new(), new() { ["--port"] = "/dev/fake" }),
        "bench occlusion" or "bench bolus" => (new(), new() { ["--port"] = "/dev/fake", ["--balance"] = "/dev/fake-balance", ["--out"] = Path.Combine(_dir, "bench") }),
        "hist" => (new(), new() { ["--port"] = "/dev/fake", ["--csv"] = Path.Combine(_dir, "out.csv") }),
        "lib list" => (new() { "morphine" }, new() { ["--port"] = "/dev/fake" }),
        "lib set" => (new() { "morphine" }, new() { ["--port"] = "/dev/fake", ["--max-ug-day"] = "100" }),
        "lib clear" => (new() { "morphine" }, new() { ["--port"] = "/dev/fake" }),
        "calibrate" => (new(), new() { ["--port"] = "/dev/fake", ["--balance"] = "/dev/fake-balance" }),
        "sim" => (new(), new()),
        "simulate" => (new() { Path.Combine(Repo.Root, "scenarios", "baclofen-week.scn") }, new()),
        "completion" => (new() { "bash" }, new()),
        "help" => (new() { "log" }, new()),
        _ => throw new ArgumentException(command),
    };

    private static readonly string[] ArgumentNames = { "line", "script", "log", "scenario", "shell", "command", "drug" };

    [Theory]
    [MemberData(nameof(Table))]
    public void A_bad_value_exits_2_with_one_line_naming_option_value_and_what_is_accepted(string command, string option, string bad, string accepted)
    {
        var (arguments, options) = Valid(command);
        bool isArgument = ArgumentNames.Contains(option);
        if (isArgument)
        {
            arguments[0] = bad;
        }
        else
        {
            options.Remove(option);
        }
        var args = new List<string>(command.Split(' '));
        args.AddRange(arguments);
        foreach (var (name, value) in options)
        {
            args.Add(name);
            args.Add(value!);
        }
        if (!isArgument)
        {
            // A flag's value is written --flag=value, everything else as two words.
            if (bad.StartsWith('='))
            {
                args.Add(option + bad);
            }
            else
            {
                args.Add(option);
                args.Add(bad);
            }
        }

        var port = new ScriptedLine(_ => new[] { "OK" });
        var (exit, output, err) = ConsoleCapture.Run(args.ToArray(), port, port);

        string[] lines = err.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
        Assert.True(exit == ExitCodes.Usage, $"exit {exit}: {err}");
        Assert.True(lines.Length == 1, "more than one line:\n" + err);
        Assert.Equal("", output);
        Assert.DoesNotContain("Exception", err);
        Assert.DoesNotContain("   at ", err);
        Assert.StartsWith(command == "help" ? "pumpctl: " : $"pumpctl {command}: ", lines[0]);
        if (!isArgument)
        {
            Assert.Contains(option, lines[0]);
        }
        Assert.Contains($"'{bad.TrimStart('=')}'", lines[0]);
        Assert.Contains(accepted, lines[0]);
        Assert.False(File.Exists(Path.Combine(_dir, "out.csv")));
        Assert.False(Directory.Exists(Path.Combine(_dir, "analysis")));
        Assert.Empty(port.Written);
    }

    [Fact]
    public void Every_option_and_argument_of_every_command_has_a_row_in_the_table()
    {
        var covered = new HashSet<string>(Table.Select(row => $"{row[0]} {row[1]}"));
        RootCommand root = CliApp.Build(new ScriptedLine(_ => Array.Empty<string>()), new ScriptedLine(_ => Array.Empty<string>()));
        var missing = new List<string>();
        // Subcommands of subcommands (`bench occlusion`) too, named by their path.
        var commands = root.Subcommands.Select(c => (Path: c.Name, Command: c)).ToList();
        for (int i = 0; i < commands.Count; i++)
        {
            commands.AddRange(commands[i].Command.Subcommands.Select(c => (commands[i].Path + " " + c.Name, c)));
        }
        foreach (var (path, command) in commands)
        {
            foreach (Option option in command.Options.Where(o => o is not System.CommandLine.Help.HelpOption))
            {
                if (!covered.Contains($"{path} {option.Name}"))
                {
                    missing.Add($"{path} {option.Name}");
                }
            }
            foreach (Argument argument in command.Arguments)
            {
                if (!covered.Contains($"{path} {argument.Name}"))
                {
                    missing.Add($"{path} {argument.Name}");
                }
            }
        }
        Assert.True(missing.Count == 0, "options without a bad-value row: " + string.Join(", ", missing));
    }
}
