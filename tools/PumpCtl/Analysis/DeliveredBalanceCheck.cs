// The pump's own accounting against the balance, compared the way the pump's refill check
// compares it against the residual a clinic withdraws (issue 17): expected = what delivered_ul
// says left the pump between the first and the last row that has both readings; measured = what
// the balance weighed in that span (mass / density); gap = measured - expected. A shortfall is
// drug the pump counted that never arrived (a leak, a head that slips, an occlusion); a surplus
// is more than was commanded. The trumpet analysis says how evenly it flowed; this says how much.
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace PumpCtl.Analysis;

/// <summary>Expected (the pump's delivered_ul) against measured (the balance) over a run log, µL.</summary>
/// <param name="ExpectedMicroliters">delivered_ul at the last row minus at the first, µL.</param>
/// <param name="MeasuredMicroliters">The mass column's change over the same rows, converted to µL.</param>
/// <param name="FirstLine">The first row used (line in the file).</param>
/// <param name="LastLine">The last row used.</param>
public sealed record DeliveredBalanceGap(double ExpectedMicroliters, double MeasuredMicroliters, int FirstLine, int LastLine)
{
    /// <summary>Measured minus expected, µL (negative: the balance got less than the pump counted).</summary>
    public double GapMicroliters => MeasuredMicroliters - ExpectedMicroliters;

    /// <summary>The gap as a percentage of the expected volume (NaN when nothing was expected).</summary>
    public double GapPercent => ExpectedMicroliters > 0 ? 100.0 * GapMicroliters / ExpectedMicroliters : double.NaN;
}

/// <summary>Computes <see cref="DeliveredBalanceGap"/> from a run log that has both delivered_ul and a mass column.</summary>
public static class DeliveredBalanceCheck
{
    /// <summary>The comparison over the rows of <paramref name="text"/> that carry both numbers, or null when the log
    /// lacks either column or has fewer than two such rows (cells that are not numbers are left out).</summary>
    public static DeliveredBalanceGap? Read(TextReader text, LogColumns columns)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { DetectColumnCountChanges = false };
        using var csv = new CsvReader(text, config);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not string[] header
            || !header.Contains("delivered_ul") || !header.Contains(columns.MassColumn))
        {
            return null;
        }
        double toMicroliters = columns.MicrolitersPerMassUnit;
        (double Delivered, double Mass, int Line)? first = null, last = null;
        while (csv.Read())
        {
            if (!TryNumber(csv.GetField("delivered_ul"), out double delivered) || !TryNumber(csv.GetField(columns.MassColumn), out double mass))
            {
                continue;
            }
            var row = (delivered, mass, csv.Parser.RawRow);
            first ??= row;
            last = row;
        }
        if (first is not { } a || last is not { } b || a.Line == b.Line)
        {
            return null;
        }
        return new DeliveredBalanceGap(b.Delivered - a.Delivered, (b.Mass - a.Mass) * toMicroliters, a.Line, b.Line);
    }

    private static bool TryNumber(string? text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
