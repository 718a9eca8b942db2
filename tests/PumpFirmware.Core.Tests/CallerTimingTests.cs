using PumpFirmware.Dosing;
using PumpFirmware.Therapy;
using Xunit;
using static PumpFirmware.Core.Tests.Rig;

namespace PumpFirmware.Core.Tests;

/// <summary>The ESP32 loop wakes on a 10 ms tick, not at the exact µs: several steps then come due in
/// one Advance. The totals must be those of a caller that jumps to every NextWakeMicros.</summary>
public class CallerTimingTests
{
    private static TherapyController Fast()
    {
        var c = new TherapyController(1000);
        c.Boot(0);
        Assert.True(c.SetCalibration(1_000_000, 0).IsOk);
        // 1 ug/mL; 4 steps: 43.2, 21.6, 0, 64.8 ug/day = 500, 250, 0, 750 steps/s for 15 s each, repeating daily.
        var p = Program("fast", 1_000, 100_000, (0, 43_200), (1, 21_600), (2, 0), (3, 64_800));
        Check(p.SetReservoir(Prescription.MaxCapacityNl, 0));
        Assert.True(c.Commit(p, false, 0).IsOk);
        Assert.True(c.Refill(Prescription.MaxCapacityNl, 0).IsOk);
        Assert.True(c.Start(0).IsOk);
        return c;
    }

    [Fact]
    public void A_10_ms_tick_delivers_the_same_steps_as_exact_wakes()
    {
        var exact = Fast();
        var ticked = Fast();
        long end = 5 * Minute;
        while (exact.NextWakeMicros <= end) exact.Advance(exact.NextWakeMicros);
        exact.Advance(end);
        long issued = 0;
        for (long t = 0; t <= end; t += 10_000) issued += ticked.Advance(t);
        Assert.Equal(exact.TotalSteps, ticked.TotalSteps);
        Assert.Equal(issued, ticked.TotalSteps);
        // 00:00 500/s, 00:01 250/s, 00:02 nothing, 00:03 750/s, and 00:04 is still in the 00:03 step: 750/s
        Assert.Equal(60 * 500 + 60 * 250 + 0 + 60 * 750 + 60 * 750, exact.TotalSteps);
    }

    [Fact]
    public void A_caller_that_sleeps_ten_minutes_gets_them_in_one_block()
    {
        var c = Fast();
        int n = c.Advance(10 * Minute);
        Assert.Equal(60 * (500 + 250 + 0 + 750) + (10 - 4) * 60 * 750, n);
        Assert.Equal(10 * Minute + 1_334, c.NextWakeMicros);   // 1/750 s = 1333.3 µs, rounded up
    }
}
