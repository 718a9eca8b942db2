// `pumpctl log`: switch on telemetry and record it (and a balance) to CSV until the duration
// ends or Ctrl+C, reconnecting through unplugs. The engine is Telemetry/TelemetryLogger; this
// file is the command line and the console.
using System.CommandLine;
using PumpCtl.Balance;
using PumpCtl.Serial;
using PumpCtl.Telemetry;
using Spectre.Console;

namespace PumpCtl.Cli;

/// <summary>Builds <c>pumpctl log</c>.</summary>
public static class LogCommand
{
    /// <summary>The command.</summary>
    public static Command Create(ISerialLineOpener pumpOpener, ISerialLineOpener balanceOpener)
    {
        var port = CommonOptions.Port();
        var period = new Option<int>("--period")
        {
            Description = "Telemetry period in seconds (1 to 3600); for the trumpet analysis use at most its Δt (30 s)",
            Required = true,
            HelpName = "s",
        };
        period.Validators.Add(r =>
        {
            int v = r.GetValueOrDefault<int>();
            if (v < 1 || v > 3600)
            {
                r.AddError($"--period must be 1 to 3600 s (got {v})");
            }
        });
        var output = new Option<FileInfo>("--out", "-o") { Description = "The CSV file to write", Required = true, HelpName = "run.csv" };
        var duration = new Option<string?>("--duration", "-d") { Description = $"Stop after this long: {DurationParser.Forms}. Default: until Ctrl+C", HelpName = "time" };
        duration.Validators.Add(r =>
        {
            string? text = r.GetValueOrDefault<string?>();
            if (text != null && !DurationParser.TryParse(text, out _))
            {
                r.AddError($"--duration '{text}' is not a duration; use {DurationParser.Forms}");
            }
        });
        var balance = new Option<string?>("--balance") { Description = "A balance's serial port (MT-SICS, read with SI once per row into mass_g)", HelpName = "path" };
        var balanceBaud = new Option<int>("--balance-baud") { Description = "The balance's baud rate", DefaultValueFactory = _ => 9600, HelpName = "baud" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace the CSV file if it exists" };
        var simAdvance = new Option<bool>("--sim-advance")
        {
            Description = "For the virtual device with --clock manual: send SIM:ADVANCE <period> after each period instead of waiting " +
                "(hours of virtual time in seconds; --duration is then virtual time and required)",
        };
        var crc = CommonOptions.Crc();
        var command = new Command("log", "Record telemetry (and a balance) to CSV, flushed row by row; reports lost seq, survives unplugs by reconnecting.")
        {
            port, period, output, duration, balance, balanceBaud, overwrite, simAdvance, crc,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(simAdvance) && r.GetValue(duration) == null)
            {
                r.AddError("--sim-advance needs --duration (virtual time to log)");
            }
        });
        command.SetAction(r =>
        {
            TimeSpan? d = null;
            if (r.GetValue(duration) is string text && DurationParser.TryParse(text, out TimeSpan parsed))
            {
                d = parsed;
            }
            var options = new LogOptions
            {
                Port = r.GetValue(port)!,
                PeriodSeconds = r.GetValue(period),
                Duration = d,
                BalancePort = r.GetValue(balance),
                UseCrc = r.GetValue(crc),
                SimAdvance = r.GetValue(simAdvance),
            };
            // A real balance gets the baud rate asked for; an injected opener (tests) is used as is.
            ISerialLineOpener balanceLines = balanceOpener is SerialPortOpener
                ? new SerialPortOpener(r.GetValue(balanceBaud), "\r\n")
                : balanceOpener;
            return Execute(options, r.GetValue(output)!, r.GetValue(overwrite), pumpOpener, balanceLines);
        });
        return command;
    }

    private static int Execute(LogOptions options, FileInfo output, bool overwrite, ISerialLineOpener pumpOpener, ISerialLineOpener balanceOpener)
    {
        if (output.Exists && !overwrite)
        {
            Console.Error.WriteLine($"pumpctl log: {output.FullName} exists; choose another --out or add --overwrite");
            return ExitCodes.Usage;
        }
        if (output.Directory is { Exists: false } dir)
        {
            Console.Error.WriteLine($"pumpctl log: the folder {dir.FullName} does not exist");
            return ExitCodes.Usage;
        }
        if (options.BalancePort != null
            && BalanceProbe.Check(balanceOpener, options.BalancePort, TimeSpan.FromSeconds(options.SimAdvance ? 10 : 2)) is string balanceProblem)
        {
            Console.Error.WriteLine($"pumpctl log: {balanceProblem}; nothing was logged");
            return ExitCodes.Communication;
        }
        using var stop = new StopSignal();
        try
        {
            using var file = new StreamWriter(new FileStream(output.FullName, FileMode.Create, FileAccess.Write, FileShare.Read));
            using var csv = new TelemetryCsvWriter(file, options.BalancePort != null);
            bool interactive = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
            var progress = new ConsoleLogProgress(output.Name, options.BalancePort != null, interactive);
            var logger = new TelemetryLogger(options, pumpOpener, balanceOpener, SystemHostClock.Instance, progress);
            LogSummary summary;
            if (interactive)
            {
                LogSummary? result = null;
                AnsiConsole.Live(progress.Render()).AutoClear(false).Start(ctx =>
                {
                    DateTime nextDraw = DateTime.MinValue;
                    progress.Changed = () =>
                    {
                        if (DateTime.UtcNow >= nextDraw)
                        {
                            nextDraw = DateTime.UtcNow.AddMilliseconds(250);
                            ctx.UpdateTarget(progress.Render());
                        }
                    };
                    result = logger.Run(csv, stop.Token);
                    ctx.UpdateTarget(progress.Render());
                });
                summary = result!;
            }
            else
            {
                summary = logger.Run(csv, stop.Token);
            }
            PrintSummary(output.FullName, summary);
            return ExitCodes.Ok;
        }
        catch (UnauthorizedAccessException e)
        {
            Console.Error.WriteLine($"pumpctl log: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"pumpctl log: {e.Message}");
            return ExitCodes.Communication;
        }
        catch (LoggerException e)
        {
            Console.Error.WriteLine($"pumpctl log: {e.Message}");
            return ExitCodes.Failed;
        }
    }

    private static void PrintSummary(string path, LogSummary s)
    {
        Console.WriteLine($"wrote {s.Rows} rows to {path} in {s.Elapsed:d\\.hh\\:mm\\:ss}");
        Console.WriteLine($"lost telemetry lines: {s.LostLines} in {s.Gaps} gap(s)" +
            (s.RecentGaps.Count > 0 ? $" (latest: {string.Join("; ", s.RecentGaps)})" : ""));
        if (s.SeqRestarts > 0)
        {
            Console.WriteLine($"device restarts seen (seq started again): {s.SeqRestarts}");
        }
        if (s.LinkLosses > 0)
        {
            Console.WriteLine($"link lost {s.LinkLosses} time(s), {s.FailedAttempts} failed reconnect attempt(s)");
        }
        if (s.MalformedLines + s.CorruptLines > 0)
        {
            Console.WriteLine($"dropped lines: {s.MalformedLines} malformed, {s.CorruptLines} with a bad CRC");
        }
        if (s.BalanceFailures > 0)
        {
            Console.WriteLine($"rows without a balance reading: {s.BalanceFailures}");
        }
    }
}
