// `pumpctl analyze`: the trumpet method on a run log; writes the five files and prints the
// headline numbers.
using System.CommandLine;
using System.Globalization;
using PumpCtl.Analysis;

namespace PumpCtl.Cli;

/// <summary>Builds <c>pumpctl analyze</c>.</summary>
public static class AnalyzeCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var input = new Argument<FileInfo>("log") { Description = "A CSV written by 'pumpctl log' (or any CSV with t_ms, delivered_ul/mass_g, rate_ul_day)" };
        input.AcceptExistingOnly();
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Folder for trumpet.csv, summary.json, trumpet.png, startup.png, report.md", Required = true, HelpName = "dir" };
        var source = new Option<string>("--source")
        {
            Description = "volume: the pump's delivered_ul; mass: the balance's mass_g / density",
            DefaultValueFactory = _ => "volume",
        };
        source.AcceptOnlyFromAmong("volume", "mass");
        var rate = new Option<double?>("--rate-ul-h") { Description = "The set rate r in µL/h (default: the log's rate_ul_day / 24 over T2)", HelpName = "R" };
        var dt = new Option<int>("--dt-s") { Description = "Sampling interval Δt in seconds", DefaultValueFactory = _ => 30, HelpName = "s" };
        var t2Start = new Option<int>("--t2-start-min") { Description = "Start of the analysis period T2, minutes after the first row", DefaultValueFactory = _ => 60, HelpName = "min" };
        var t2 = new Option<int>("--t2-min") { Description = "Length of T2 in minutes", DefaultValueFactory = _ => 60, HelpName = "min" };
        var density = new Option<double>("--density") { Description = "Density of the liquid in g/mL, for --source mass", DefaultValueFactory = _ => 0.998, HelpName = "g/mL" };
        var massCol = new Option<string>("--mass-col") { Description = "The mass column (in the log, or in --balance-log)", DefaultValueFactory = _ => "mass_g", HelpName = "name" };
        var massUnit = new Option<string?>("--mass-unit") { Description = "The mass column's unit: g, mg, ug or kg (default: from the column's suffix, e.g. weight_mg, else g)", HelpName = "unit" };
        massUnit.AcceptOnlyFromAmong("g", "mg", "ug", "kg");
        var balanceLog = new Option<FileInfo?>("--balance-log") { Description = "A balance logged separately (CSV with a time and a mass column), merged into the log by host_utc; implies --source mass", HelpName = "csv" };
        balanceLog.AcceptExistingOnly();
        var balanceTimeCol = new Option<string?>("--balance-time-col") { Description = $"The balance log's time column, ISO 8601 or Unix seconds (default: the first of {string.Join(", ", BalanceLogReader.TimeColumns)})", HelpName = "name" };
        var format = new Option<string>("--format") { Description = "Figure format: png, svg or pdf", DefaultValueFactory = _ => "png", HelpName = "png|svg|pdf" };
        format.AcceptOnlyFromAmong("png", "svg", "pdf");
        var dpi = new Option<int>("--dpi") { Description = "Dots per inch of PNG figures (50 to 1200)", DefaultValueFactory = _ => 100, HelpName = "dpi" };
        dpi.Validators.Add(r =>
        {
            int v = r.GetValueOrDefault<int>();
            if (v < 50 || v > 1200)
            {
                r.AddError($"--dpi must be 50 to 1200 (got {v})");
            }
        });
        var size = new Option<string>("--size") { Description = "Figure size WxH in inches (9x5.6) or cm (16x10cm), each 1 to 40 in", DefaultValueFactory = _ => "9x5.6", HelpName = "WxH" };
        size.Validators.Add(r =>
        {
            string? v = r.GetValueOrDefault<string>();
            if (!PlotOptions.TryParseSize(v, out _, out _))
            {
                r.AddError($"--size '{v}' is not WxH in inches (e.g. 9x5.6, 3.5x2.5in) or cm (16x10cm), each side 1 to 40 in");
            }
        });
        Positive(dt, "--dt-s");
        Positive(t2, "--t2-min");
        t2Start.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError("--t2-start-min must be 0 or more");
            }
        });
        rate.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double?>() is double v && !(v > 0 && double.IsFinite(v)))
            {
                r.AddError($"--rate-ul-h must be a positive number of µL/h (got {v})");
            }
        });
        density.Validators.Add(r =>
        {
            double v = r.GetValueOrDefault<double>();
            if (!(v > 0.1 && v < 25))
            {
                r.AddError($"--density must be a plausible density in g/mL (got {v})");
            }
        });
        var command = new Command("analyze", "Flow accuracy by the IEC 60601-2-24 trumpet method: start-up curve, mean error over T2, Ep(max)/Ep(min) for 2, 5, 11, 19, 31 min windows.")
        {
            input, output, source, rate, dt, t2Start, t2, density, massCol, massUnit, balanceLog, balanceTimeCol, format, dpi, size,
        };
        command.SetAction(r =>
        {
            FileInfo? balance = r.GetValue(balanceLog);
            var options = new TrumpetOptions
            {
                Source = r.GetValue(source) == "mass" || balance != null ? FlowSource.Mass : FlowSource.Volume,
                SetRateMicrolitersPerHour = r.GetValue(rate),
                DtSeconds = r.GetValue(dt),
                T2StartMinutes = r.GetValue(t2Start),
                T2Minutes = r.GetValue(t2),
                DensityGramsPerMilliliter = r.GetValue(density),
            };
            string column = r.GetValue(massCol)!;
            var columns = new LogColumns
            {
                Source = options.Source,
                MassColumn = column,
                MassUnit = r.GetValue(massUnit) ?? LogColumns.UnitFromName(column),
                DensityGramsPerMilliliter = options.DensityGramsPerMilliliter,
            };
            PlotOptions.TryParseSize(r.GetValue(size), out double width, out double height);
            var plots = new PlotOptions
            {
                Format = Enum.Parse<PlotFormat>(r.GetValue(format)!, ignoreCase: true),
                Dpi = r.GetValue(dpi),
                WidthInches = width,
                HeightInches = height,
            };
            return Execute(r.GetValue(input)!, r.GetValue(output)!, options, columns, plots, balance, r.GetValue(balanceTimeCol));
        });
        return command;
    }

    private static void Positive(Option<int> option, string name)
    {
        option.Validators.Add(r =>
        {
            int v = r.GetValueOrDefault<int>();
            if (v <= 0)
            {
                r.AddError($"{name} must be positive (got {v})");
            }
        });
    }

    /// <summary>Analyses <paramref name="input"/> into <paramref name="output"/>.</summary>
    public static int Execute(FileInfo input, DirectoryInfo output, TrumpetOptions options, LogColumns? columns = null, PlotOptions? plots = null,
        FileInfo? balanceLog = null, string? balanceTimeColumn = null)
    {
        columns ??= new LogColumns { Source = options.Source, DensityGramsPerMilliliter = options.DensityGramsPerMilliliter };
        plots ??= new PlotOptions();
        try
        {
            List<BalanceReading>? balance = null;
            if (balanceLog != null)
            {
                using var balanceText = new StreamReader(balanceLog.FullName);
                balance = BalanceLogReader.Read(balanceText, balanceLog.Name, columns.MassColumn, balanceTimeColumn);
            }
            RunLog log;
            using (var text = new StreamReader(input.FullName))
            {
                log = RunLogReader.ReadLog(text, input.FullName, columns, balance, balanceLog?.Name ?? "", options.DtSeconds * options.MaxGapFactor);
            }
            TrumpetResult result = TrumpetAnalyzer.Analyze(log.Samples, options);
            AnalysisOutput.Write(output.FullName, input.FullName, result, options, plots, log, columns);
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Format(c, "set rate {0:0.###} µL/h ({1}); mean error A over minutes {2}-{3}: {4:+0.00;-0.00;0.00} %",
                result.SetRateMicrolitersPerHour, result.SetRateOrigin == "log" ? "from the log" : "given",
                options.T2StartMinutes, options.T2StartMinutes + options.T2Minutes, result.MeanErrorPercent));
            Console.WriteLine("window_min  ep_max_pct  ep_min_pct");
            foreach (WindowResult w in result.Windows)
            {
                Console.WriteLine(string.Format(c, "{0,10}  {1,10:+0.00;-0.00;0.00}  {2,10:+0.00;-0.00;0.00}", w.WindowMinutes, w.EpMaxPercent, w.EpMinPercent));
            }
            Console.WriteLine(AnalysisOutput.RowsUsed(result, log));
            Console.WriteLine($"wrote {string.Join(", ", AnalysisOutput.FileNamesFor(plots))} to {output.FullName}");
            return ExitCodes.Ok;
        }
        catch (AnalysisException e)
        {
            Console.Error.WriteLine($"pumpctl analyze: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"pumpctl analyze: {e.Message}");
            return ExitCodes.Failed;
        }
    }
}
