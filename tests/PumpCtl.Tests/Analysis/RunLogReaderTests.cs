// Reading a run log: columns by name, mass converted through the density, empty balance
// cells skipped, and clear errors for what the analysis cannot use.
using PumpCtl.Analysis;
using Xunit;

namespace PumpCtl.Tests.Analysis;

public class RunLogReaderTests
{
    private const string Header = "host_utc,seq,t_ms,unix_s,state,delivered_ul,steps,reservoir_ul,rate_ul_day,alarms,mass_g\r\n";

    private static List<LogSample> Read(string csv, FlowSource source, double density = 0.998) =>
        RunLogReader.Read(new StringReader(csv), "run.csv", source, density);

    [Fact]
    public void Volume_source_reads_t_ms_delivered_and_rate()
    {
        List<LogSample> s = Read(Header +
            "2026-01-01T00:00:00.000Z,1,1000,0,RUNNING,1.500,15,100.000,1440.000,\"LOW_RESERVOIR,DOSE_LIMIT\",\r\n", FlowSource.Volume);
        Assert.Equal(new LogSample(1.0, 1.5, 1440, 2), Assert.Single(s));
    }

    [Fact]
    public void Mass_source_divides_by_the_density_and_skips_rows_without_a_reading()
    {
        // 0.998 g at 0.998 g/mL = 1 mL = 1000 µL.
        List<LogSample> s = Read(Header +
            "x,1,0,0,RUNNING,0.000,0,0,1440.000,NONE,0.998\r\n" +
            "x,2,30000,0,RUNNING,0.500,0,0,1440.000,NONE,\r\n" +
            "x,3,60000,0,RUNNING,1.000,0,0,1440.000,NONE,1.996\r\n", FlowSource.Mass);
        Assert.Equal(2, s.Count);
        Assert.Equal(1000.0, s[0].VolumeMicroliters, 1e-9);
        Assert.Equal(2000.0, s[1].VolumeMicroliters, 1e-9);
        Assert.Equal(4, s[1].FileLine);
    }

    [Fact]
    public void Mass_source_without_a_mass_column_says_how_to_get_one()
    {
        var e = Assert.Throws<AnalysisException>(() => Read("host_utc,seq,t_ms,delivered_ul,rate_ul_day\r\nx,1,0,0,0\r\n", FlowSource.Mass));
        Assert.Contains("no mass_g column (log with --balance, name another column with --mass-col, or analyse with --source volume)", e.Message);
    }

    [Fact]
    public void A_cell_that_is_not_a_number_is_named_with_its_line()
    {
        var e = Assert.Throws<AnalysisException>(() => Read(Header + "x,1,abc,0,RUNNING,0.000,0,0,1440.000,NONE,\r\n", FlowSource.Volume));
        Assert.Equal("run.csv line 2: t_ms 'abc' is not a number", e.Message);
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        var e = Assert.Throws<AnalysisException>(() => Read("", FlowSource.Volume));
        Assert.Contains("run.csv is empty", e.Message);
    }
}
