// What a person meets before any pump is involved: a misspelt command gets a suggestion,
// `pumpctl help` works, `sim` and `simulate` explain themselves in the same form as the other
// commands, shells complete the words, and durations read the way people write them.
using System.Diagnostics;
using PumpCtl.Cli;
using Xunit;

namespace PumpCtl.Tests.Cli;

[Collection("Console")]
public sealed class CliUxTests
{
    [Theory]
    [InlineData("analyse", "did you mean 'analyze'?")]
    [InlineData("monitr", "did you mean 'monitor'?")]
    [InlineData("simulte", "did you mean 'simulate'?")]
    [InlineData("snd", "did you mean 'send'?")]
    [InlineData("xyzzy", "the commands are ports, send, run, console, log, analyze, calibrate, monitor, bench, hist, lib, sim, simulate, completion, help")]
    public void A_misspelt_command_gets_a_suggestion(string typed, string expected)
    {
        var (exit, output, err) = ConsoleCapture.Run(new[] { typed });
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("", output);
        Assert.Equal($"pumpctl: '{typed}' is not a pumpctl command; {expected} (see 'pumpctl help')", err.TrimEnd());
    }

    [Fact]
    public void A_misspelt_option_gets_a_suggestion()
    {
        var (exit, _, err) = ConsoleCapture.Run(new[] { "send", "STATUS?", "--port", "/dev/x", "--timout", "5" });
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("pumpctl send: unknown option '--timout'; did you mean '--timeout'?", err);
    }

    [Fact]
    public void Help_as_a_command_is_the_same_as_the_help_option()
    {
        var viaCommand = ConsoleCapture.Run(new[] { "help" });
        var viaOption = ConsoleCapture.Run(new[] { "--help" });
        Assert.Equal(0, viaCommand.Exit);
        Assert.Equal(viaOption.Out, viaCommand.Out);
        Assert.Contains("analyze", viaCommand.Out);

        var log = ConsoleCapture.Run(new[] { "help", "log" });
        Assert.Equal(0, log.Exit);
        Assert.Equal(ConsoleCapture.Run(new[] { "log", "--help" }).Out, log.Out);
        Assert.Contains("--period", log.Out);
    }

    [Fact]
    public void No_command_at_all_names_the_commands()
    {
        var (exit, _, err) = ConsoleCapture.Run(Array.Empty<string>());
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("which command? One of: ports, send, run, console, log, analyze", err);
    }

    [Theory]
    [InlineData("sim", new[] { "--pty", "--stdio", "--link", "--state", "--clock", "--balance-pty", "--seed", "--cal-error-ppm", "--pulsation", "--max-steps-s" })]
    [InlineData("simulate", new[] { "<scenario>", "--out", "--seed" })]
    [InlineData("log", new[] { "--port", "--period", "--out" })]
    public void Sim_and_simulate_help_has_the_same_form_as_every_other_command(string command, string[] words)
    {
        var (exit, output, _) = ConsoleCapture.Run(new[] { command, "--help" });
        Assert.Equal(0, exit);
        Assert.StartsWith("Description:", output.TrimStart());
        // The root's name is the executable's: pumpctl, or the test host here.
        Assert.Matches($"Usage:\n  \\S+ {command} ", output.Replace("\r\n", "\n"));
        Assert.Contains("Options:", output);
        foreach (string word in words)
        {
            Assert.Contains(word, output);
        }
    }

    [Fact]
    public void The_sim_options_listed_by_pumpctl_are_exactly_those_the_virtual_device_accepts()
    {
        // pumpctl declares sim's options for help and completion; the virtual device parses them.
        var sim = CliApp.Build(new Fakes.ScriptedLine(_ => Array.Empty<string>()), new Fakes.ScriptedLine(_ => Array.Empty<string>()))
            .Subcommands.Single(c => c.Name == "sim");
        var values = new Dictionary<string, string> { ["--link"] = "/tmp/x", ["--state"] = "/tmp/s", ["--clock"] = "manual", ["--seed"] = "3",
            ["--cal-error-ppm"] = "-15000", ["--pulsation"] = "0.3", ["--max-steps-s"] = "500",
            ["--plant"] = "pressure", ["--compliance-ul"] = "12.5", ["--leak-s"] = "3600", ["--battery-mah"] = "50" };
        foreach (var option in sim.Options.Where(o => o is not System.CommandLine.Help.HelpOption))
        {
            string[] args = values.TryGetValue(option.Name, out string? v) ? new[] { option.Name, v } : new[] { option.Name };
            Assert.True(PumpFirmware.VirtualDevice.Cli.SimOptions.Parse(args, out string? error) != null, $"{option.Name}: {error}");
            Assert.Contains(option.Name, PumpFirmware.VirtualDevice.Cli.SimOptions.Usage);
        }
        Assert.Null(PumpFirmware.VirtualDevice.Cli.SimOptions.Parse(new[] { "--no-such-option" }, out _));
    }

    [Theory]
    [InlineData("pumpctl an", "analyze")]
    [InlineData("pumpctl analyze run.csv --sou", "--source")]
    [InlineData("pumpctl analyze run.csv --source ", "mass")]
    [InlineData("pumpctl sim --clock ", "manual")]
    [InlineData("pumpctl completion ", "powershell")]
    public void The_suggest_directive_behind_the_completion_scripts_completes_commands_options_and_values(string line, string expected)
    {
        var (exit, output, _) = ConsoleCapture.Run(new[] { $"[suggest:{line.Length}]", line });
        Assert.Equal(0, exit);
        Assert.Contains(expected, output.Replace("\r\n", "\n").Split('\n'));
    }

    [Theory]
    [InlineData("bash", "complete -o default -F _pumpctl_complete pumpctl")]
    [InlineData("zsh", "compdef _pumpctl pumpctl")]
    [InlineData("powershell", "Register-ArgumentCompleter -Native -CommandName pumpctl")]
    public void Completion_prints_a_script_for_each_shell(string shell, string hook)
    {
        var (exit, output, _) = ConsoleCapture.Run(new[] { "completion", shell });
        Assert.Equal(0, exit);
        Assert.Contains(hook, output);
        Assert.Contains("[suggest:", output);
    }

    [Fact]
    public void Bash_completes_with_the_script_pumpctl_prints()
    {
        // The real thing: bash sources the script and calls its completion function the way
        // it does on Tab, with pumpctl found on PATH.
        string bin = Path.Combine(Path.GetTempPath(), "pumpctl-completion-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(bin);
        try
        {
            string dll = Path.Combine(AppContext.BaseDirectory, "pumpctl.dll");
            File.WriteAllText(Path.Combine(bin, "pumpctl"), $"#!/bin/sh\nexec dotnet \"{dll}\" \"$@\"\n");
            File.SetUnixFileMode(Path.Combine(bin, "pumpctl"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            string script = "source <(pumpctl completion bash)\n" +
                "COMP_LINE='pumpctl ana'; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(pumpctl ana); COMP_CWORD=1\n" +
                "_pumpctl_complete; echo \"${COMPREPLY[*]}\"\n" +
                "COMP_LINE='pumpctl sim --clock m'; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(pumpctl sim --clock m); COMP_CWORD=3\n" +
                "_pumpctl_complete; echo \"${COMPREPLY[*]}\"\n";
            var start = new ProcessStartInfo("bash", new[] { "-c", script }) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
            using Process bash = Process.Start(start)!;
            string output = bash.StandardOutput.ReadToEnd();
            Assert.True(bash.WaitForExit(60_000));
            Assert.Equal("analyze\nmanual\n", output);
        }
        finally
        {
            Directory.Delete(bin, true);
        }
    }

    [Theory]
    [InlineData(0.4, "0.4 s")]
    [InlineData(3, "3 s")]
    [InlineData(59, "59 s")]
    [InlineData(60, "1 min")]
    [InlineData(725, "12 min 05 s")]
    [InlineData(3600, "1 h")]
    [InlineData(3900, "1 h 05 min")]
    [InlineData(86400, "1 d")]
    [InlineData(7 * 86400 + 4 * 3600 + 120, "7 d 4 h")]
    public void Durations_print_as_people_write_them(double seconds, string text) =>
        Assert.Equal(text, DurationText.Format(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Log_progress_shows_elapsed_and_remaining_time_when_redirected()
    {
        var progress = new ConsoleLogProgress("run.csv", withBalance: false, interactive: false) { Duration = TimeSpan.FromHours(3), VirtualTime = true };
        var first = new PumpCtl.Telemetry.TelemetryRecord(1, "0", "0", "RUNNING", "0.000", "0", "20000.000", "1200.000", "NONE");
        var later = first with { Seq = 2, TMs = "3900000" };
        var (_, output, _) = Capture(() =>
        {
            progress.Row(first, null, 1, 0);
            progress.Row(later, null, 2, 0);
        });
        Assert.Contains("1 h 05 min of device time elapsed, 1 h 55 min to go (36 %)", progress.TimeText());
        Assert.Contains("to go", output);
    }

    private static (int, string, string) Capture(Action action)
    {
        TextWriter old = Console.Out;
        var o = new StringWriter();
        Console.SetOut(o);
        try
        {
            action();
        }
        finally
        {
            Console.SetOut(old);
        }
        return (0, o.ToString(), "");
    }
}
