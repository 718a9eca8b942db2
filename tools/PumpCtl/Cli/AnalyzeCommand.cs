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
        var input = OptionValues.ExistingFile("log", "A CSV written by 'pumpctl log' (or any CSV with t_ms, delivered_ul/mass_g, rate_ul_day)");
        var output = OptionValues.OutputFolder("--out", "Folder for trumpet.csv, summary.json, trumpet.png, startup.png, report.md", "dir", "-o");
        var source = OptionValues.OneOf("--source", "volume: the pump's delivered_ul; mass: the balance's mass_g / density", "volume", "volume", "mass");
        var rate = OptionValues.OptionalNumber("--rate-ul-h", "The set rate r in µL/h (default: the log's rate_ul_day / 24 over T2)", 0, 1_000_000, minInclusive: false, "µL/h", "R");
        var dt = OptionValues.Integer("--dt-s", "Sampling interval Δt in seconds", 1, 3600, "s", 30);
        var t2Start = OptionValues.Integer("--t2-start-min", "Start of the analysis period T2, minutes after the first row", 0, 1_000_000, "min", 60);
        var t2 = OptionValues.Integer("--t2-min", "Length of T2 in minutes", 1, 1_000_000, "min", 60);
        var density = OptionValues.Number("--density", "Density of the liquid in g/mL, for --source mass", 0.1, 25, minInclusive: false, "g/mL", 0.998);
        var massCol = OptionValues.Text("--mass-col", "The mass column (in the log, or in --balance-log)", "name", required: false, "a column name, e.g. mass_g");
        massCol.DefaultValueFactory = _ => "mass_g";
        var massUnit = OptionValues.OptionalOneOf("--mass-unit", "The mass column's unit (default: from the column's suffix, e.g. weight_mg, else g)", "g", "mg", "ug", "kg");
        var balanceLog = OptionValues.OptionalExistingFile("--balance-log", "A balance logged separately (CSV with a time and a mass column), merged into the log by host_utc; implies --source mass", "csv");
        var balanceTimeCol = OptionValues.Text("--balance-time-col", $"The balance log's time column, ISO 8601 or Unix seconds (default: the first of {string.Join(", ", BalanceLogReader.TimeColumns)})", "name", required: false, "a column name, e.g. host_utc");
        var format = OptionValues.OneOf("--format", "Figure format: png, svg or pdf", "png", "png", "svg", "pdf");
        var dpi = OptionValues.Integer("--dpi", "Dots per inch of PNG figures", 50, 1200, "dpi", 100);
        var size = OptionValues.Checked("--size", "Figure size WxH in inches (9x5.6) or cm (16x10cm), each 1 to 40 in", "WxH", "9x5.6",
            v => PlotOptions.TryParseSize(v, out _, out _), "WxH in inches (e.g. 9x5.6, 3.5x2.5in) or cm (16x10cm), each side 1 to 40 in");
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
            DeliveredBalanceGap? gap = null;
            if (balanceLog == null)
            {
                using var text = new StreamReader(input.FullName);
                gap = DeliveredBalanceCheck.Read(text, columns);
            }
            AnalysisOutput.Write(output.FullName, input.FullName, result, options, plots, log, columns, gap);
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
            if (gap != null)
            {
                Console.WriteLine(string.Format(c, "delivered against the balance: expected {0:0.000} µL, measured {1:0.000} µL, gap {2:+0.000;-0.000;0.000} µL{3}",
                    gap.ExpectedMicroliters, gap.MeasuredMicroliters, gap.GapMicroliters,
                    double.IsNaN(gap.GapPercent) ? "" : string.Format(c, " ({0:+0.00;-0.00;0.00} %)", gap.GapPercent)));
            }
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
