// `pumpctl hist --plot`: the daily history as a figure, for a bench that would rather look than
// read. One stacked bar per day, oldest left, one colour per kind of delivery (basal, PTM,
// clinician bolus, bridge, prime, minimum rate), in µg; the day's total is the bar's height and
// is printed over it. Built as a ScottPlot plot (tests read its bars) and written by the same
// writer as the analysis figures (PNG, SVG or PDF, atomically).
using System.Globalization;
using ScottPlot;

namespace PumpCtl.Analysis;

/// <summary>Builds the daily history figure.</summary>
public static class HistPlot
{
    /// <summary>The kinds stacked bottom to top: (CSV column, legend, colour).</summary>
    public static readonly (string Column, string Legend, Color Color)[] Kinds =
    {
        ("basal_ug", "basal", Colors.SteelBlue),
        ("ptm_ug", "PTM", Colors.DarkOrange),
        ("clinician_ug", "clinician bolus", Colors.ForestGreen),
        ("bridge_ug", "bridge", Colors.MediumPurple),
        ("prime_ug", "prime", Colors.Gray),
        ("minrate_ug", "minimum rate", Colors.GoldenRod),
    };

    /// <summary>One day of the history: its date as the pump printed it and µg per column.</summary>
    public sealed record Day(string Date, IReadOnlyDictionary<string, double> Micrograms);

    /// <summary>A stacked bar chart of <paramref name="days"/>; <paramref name="caption"/> names the pump and when it was read.</summary>
    public static Plot Build(IReadOnlyList<Day> days, string caption)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        for (int i = 0; i < days.Count; i++)
        {
            double bottom = 0;
            foreach (var (column, _, color) in Kinds)
            {
                double ug = days[i].Micrograms.TryGetValue(column, out double v) ? v : 0;
                if (ug <= 0)
                {
                    continue;
                }
                bars.Add(new Bar { Position = i, ValueBase = bottom, Value = bottom + ug, FillColor = color, LineWidth = 0 });
                bottom += ug;
            }
        }
        plot.Add.Bars(bars);
        // The day's total over its bar, while there is room for it (a month of totals would overlap).
        for (int i = 0; i < days.Count && days.Count <= 12; i++)
        {
            double total = days[i].Micrograms.TryGetValue("total_ug", out double t) ? t : 0;
            var label = plot.Add.Text(total.ToString("0.###", CultureInfo.InvariantCulture), i, total);
            label.LabelAlignment = Alignment.LowerCenter;
            label.LabelFontSize = 11;
        }
        // A legend entry per kind, also for kinds absent from these days, so figures compare.
        foreach (var (_, legend, color) in Kinds)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = legend, FillColor = color });
        }
        plot.ShowLegend(Edge.Right);   // beside the bars, never over one
        plot.Title("Drug delivered per day, by kind (pumpctl hist; the last day is the one still running)\n" + caption, 14);
        plot.YLabel("Drug (µg per day)");
        plot.XLabel("Day (the pump's clock, UTC; T+n: days since first start, before TIME was set)");
        double[] positions = Enumerable.Range(0, days.Count).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, TickLabels(days));
        double top = days.Select(d => d.Micrograms.TryGetValue("total_ug", out double t) ? t : 0).DefaultIfEmpty(0).Max();
        plot.Axes.SetLimitsX(-0.6, Math.Max(days.Count, 1) - 0.4);
        plot.Axes.SetLimitsY(0, top > 0 ? top * 1.25 : 1);
        return plot;
    }

    /// <summary>The day labels: the full date up to 8 days; beyond, month-day of every k-th day (about 12 labels), so a month of
    /// labels never overlaps.</summary>
    public static string[] TickLabels(IReadOnlyList<Day> days)
    {
        if (days.Count <= 8)
        {
            return days.Select(d => d.Date).ToArray();
        }
        int every = (days.Count + 11) / 12;
        return days.Select((d, i) => (days.Count - 1 - i) % every != 0 ? "" : d.Date.Length == 10 ? d.Date.Substring(5) : d.Date).ToArray();
    }
}
