using CsCheck;
using static PumpFirmware.Core.Tests.DeliveryPropertyTests;

namespace PumpFirmware.Core.Tests;

/// <summary>
/// The 30-day property of <see cref="DeliveryPropertyTests"/> on short runs (a few days of a few
/// dozen events). Same generators, same oracle (the BigInteger ideal within one step, the rolling
/// 24 h limit from a per-step log, PTM lockout and count), a second or two in all: cheap enough to
/// run for every mutant in a Stryker run, where the 30-day test (36 s) is filtered out.
/// </summary>
public class DeliveryPropertySmokeTests
{
    private static readonly Gen<Case> ShortCase =
        Gen.Select(Gen.Int[0, Calibrations.Length - 1], GenProgram, GenOp.Array[6, 16])
        .Select((c, p, ops) => new Case(Calibrations[c], p, ops));

    [Fact]
    public void Random_programs_and_events_over_a_few_days_keep_every_promise()
    {
        var coverage = new Coverage();
        ShortCase.Sample(c => { Run(c, true, coverage); }, iter: 8, threads: 1);
        Assert.True(coverage.IdealChecks > 1_000, $"ideal checks {coverage.IdealChecks}");
        Assert.True(coverage.Steps > 0, "no step was delivered");
        Console.WriteLine($"smoke: {coverage.IdealChecks} ideal checks, {coverage.Steps} steps, {coverage.HeldSteps} held, {coverage.Grants} PTM grants");
    }
}
