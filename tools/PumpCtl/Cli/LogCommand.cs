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
        var period = OptionValues.Integer("--period", "Telemetry period in seconds (1 to 3600); for the trumpet analysis use at most its Δt (30 s)", 1, 3600, "s");
        period.Required = true;
        var output = OptionValues.OutputFile("--out", "The CSV file to write (written as <file>.partial, renamed when the run ends)", "run.csv", "-o");
        var duration = OptionValues.Duration("--duration", $"Stop after this long: {DurationParser.Forms}. Default: until Ctrl+C", "-d");
        var balance = OptionValues.Text("--balance", "A balance's serial port (MT-SICS, read with SI once per row into mass_g)", "path", required: false, "a serial port's path, e.g. /dev/ttyUSB1");
        var balanceBaud = OptionValues.Integer("--balance-baud", "The balance's baud rate", 300, 1000000, "baud", 9600);
        var overwrite = OptionValues.Flag("--overwrite", "Replace the CSV file if it exists");
        var simAdvance = OptionValues.Flag("--sim-advance", "For the virtual device with --clock manual: send SIM:ADVANCE <period> after each period instead of waiting " +
            "(hours of virtual time in seconds; --duration is then virtual time and required)");
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
            TimeSpan? d = r.GetValue(duration);
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
        // Rows go to <file>.partial, flushed one by one (a crash loses at most one); the file
        // gets its real name only when the run has ended, so a CSV under the asked name is
        // always a finished run.
        string partial = output.FullName + ".partial";
        if (output.Exists && !overwrite)
        {
            Console.Error.WriteLine($"pumpctl log: {output.FullName} exists; choose another --out or add --overwrite");
            return ExitCodes.Usage;
        }
        if (File.Exists(partial) && !overwrite)
        {
            Console.Error.WriteLine($"pumpctl log: {partial} exists (the rows of a run that did not finish); move it away or add --overwrite");
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
        bool finished = false;
        try
        {
            LogSummary summary;
            using (var file = new StreamWriter(new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.Read)))
            using (var csv = new TelemetryCsvWriter(file, options.BalancePort != null))
            {
                bool interactive = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
                var progress = new ConsoleLogProgress(output.Name, options.BalancePort != null, interactive)
                {
                    Duration = options.Duration,
                    VirtualTime = options.SimAdvance,
                };
                var logger = new TelemetryLogger(options, pumpOpener, balanceOpener, SystemHostClock.Instance, progress);
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
            }
            File.Move(partial, output.FullName, overwrite: true);
            finished = true;
            PrintSummary(output.FullName, summary);
            return ExitCodes.Ok;
        }
        catch (UnauthorizedAccessException e)
        {
            Console.Error.WriteLine($"pumpctl log: {e.Message}{KeptRows(partial)}");
            return ExitCodes.Usage;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"pumpctl log: {e.Message}{KeptRows(partial)}");
            return ExitCodes.Communication;
        }
        catch (LoggerException e)
        {
            Console.Error.WriteLine($"pumpctl log: {e.Message}{KeptRows(partial)}");
            return ExitCodes.Failed;
        }
        finally
        {
            // A run that wrote nothing but the header leaves nothing behind.
            if (!finished && File.Exists(partial) && File.ReadLines(partial).Skip(1).Any() == false)
            {
                File.Delete(partial);
            }
        }
    }

    private static string KeptRows(string partial) =>
        File.Exists(partial) && File.ReadLines(partial).Skip(1).Any() ? $" (the rows logged so far are in {partial})" : "";

    private static void PrintSummary(string path, LogSummary s)
    {
        Console.WriteLine($"wrote {s.Rows} rows to {path} in {DurationText.Format(s.Elapsed)}");
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
