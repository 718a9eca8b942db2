using PumpFirmware.Dosing;
using Xunit;

namespace PumpFirmware.Core.Tests;

/// <summary>Programs shared by the Prescription tests.</summary>
internal static class SamplePrograms
{
    /// <summary>Every field set and none at its default, so that any field lost or swapped shows.
    /// Steps given out of order (22:00, 07:30, 12:00). Its canonical text and numbers are worked out
    /// in PrescriptionCanonicalTests.</summary>
    internal static Prescription Full()
    {
        var p = new Prescription();
        Assert.Null(p.SetDrug("Morph-2_x", 2_500_000));        // 2500 ug/mL
        Assert.Null(p.SetLimit(2_000_000));                    // 2000 ug/day
        Assert.Null(p.SetStep(22 * 60, 500_000));              // 22:00 500 ug/day
        Assert.Null(p.SetStep(7 * 60 + 30, 2_000_000));        // 07:30 2000 ug/day
        Assert.Null(p.SetStep(12 * 60, 1_000_000));            // 12:00 1000 ug/day
        Assert.Null(p.SetPtm(50_000, 15, 120, 6));             // 50 ug over 15 min, 120 min lockout, 6 a day
        Assert.Null(p.SetReservoir(40_000_000, 5_000_000));    // 40000 uL, alarm at 5000 uL
        Assert.Null(p.SetCatheter(250_500));                   // 250.5 uL
        Assert.Null(p.SetMinRate(100_000));                    // 100 uL/day
        return p;
    }

    internal static Prescription CopyOf(Prescription p)
    {
        var copy = new Prescription();
        copy.CopyFrom(p);
        return copy;
    }

    /// <summary>Asserts that <paramref name="p"/> still is exactly <paramref name="before"/>.</summary>
    internal static void AssertUnchanged(Prescription before, Prescription p)
    {
        Assert.True(before.SameAs(p));
        Assert.Equal(before.CanonicalText(), p.CanonicalText());
    }
}
