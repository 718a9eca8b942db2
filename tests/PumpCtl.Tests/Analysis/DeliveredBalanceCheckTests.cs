// The analysis report's balance check: the pump's delivered_ul (expected) against the balance's
// mass / density (measured) over the rows that have both, and the gap, as the refill check does.
using PumpCtl.Analysis;
using Xunit;

namespace PumpCtl.Tests.Analysis;

public sealed class DeliveredBalanceCheckTests
{
    private static DeliveredBalanceGap? Check(string csv, LogColumns? columns = null) =>
        DeliveredBalanceCheck.Read(new StringReader(csv), columns ?? new LogColumns());

    [Fact]
    public void Expected_is_the_delivered_change_measured_the_mass_change_over_density_and_the_gap_their_difference()
    {
        // Rows 2 and 5 lack a mass reading: the span is lines 3 to 6.
        var gap = Check("t_ms,delivered_ul,mass_g\n0,0.000,\n1000,10.000,0.00998\n2000,50.000,0.0449\n3000,90.000,\n4000,110.000,0.108782\n")!;
        Assert.Equal(3, gap.FirstLine);
        Assert.Equal(6, gap.LastLine);
        Assert.Equal(100.0, gap.ExpectedMicroliters, 9);
        Assert.Equal(99.0, gap.MeasuredMicroliters, 9);    // 0.098802 g at 0.998 g/mL
        Assert.Equal(-1.0, gap.GapMicroliters, 9);
        Assert.Equal(-1.0, gap.GapPercent, 9);
    }

    [Fact]
    public void The_mass_column_and_its_unit_follow_the_analysis_options()
    {
        var gap = Check("t_ms,delivered_ul,w_mg\n0,0,0\n1000,100,101.796\n", new LogColumns { MassColumn = "w_mg", MassUnit = "mg" })!;
        Assert.Equal(102.0, gap.MeasuredMicroliters, 9);
        Assert.Equal(2.0, gap.GapPercent, 9);
    }

    [Theory]
    [InlineData("t_ms,delivered_ul\n0,0\n1000,10\n")]                    // no balance
    [InlineData("t_ms,mass_g\n0,0\n1000,0.01\n")]                         // no delivered_ul
    [InlineData("t_ms,delivered_ul,mass_g\n0,0,0\n1000,10,\n")]           // one row with both
    [InlineData("")]
    public void Without_two_rows_of_both_readings_there_is_no_check(string csv)
    {
        Assert.Null(Check(csv));
    }

    [Fact]
    public void The_report_shows_expected_measured_and_the_gap()
    {
        string section = AnalysisOutput.BalanceCheckSection(new DeliveredBalanceGap(100, 98.5, 2, 40), 0.998);
        Assert.Contains("| expected (delivered_ul, lines 2-40) | 100.000 µL |", section);
        Assert.Contains("| measured (mass / 0.998 g/mL) | 98.500 µL |", section);
        Assert.Contains("| **gap** | **-1.500 µL (-1.50 %)** |", section);
    }
}
