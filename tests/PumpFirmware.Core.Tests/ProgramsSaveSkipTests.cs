using PumpFirmware.Dosing;
using PumpFirmware.Storage;
using PumpFirmware.Therapy;
using Xunit;
using static PumpFirmware.Core.Tests.Rig;

namespace PumpFirmware.Core.Tests;

/// <summary>The active program and a bridge's old program are a third of the therapy's image outside the 24 h window, and
/// the storage journal's diff pass steps over their bytes while they have not changed (SaveSkip, with the controller's
/// count of program changes). Every change of what they save must be counted: after a commit (a flex program, one that
/// starts a bridge), the bridge's end and a load, the next pass must store exactly the image and changed ranges of a pass
/// that compares every byte. A change left uncounted leaves the old program's bytes in the skipping image and fails
/// here. Calibration 10^6 steps/mL: one step is 1 nL.</summary>
public sealed class ProgramsSaveSkipTests
{
    private const int Buffer = 16 * 1024;
    private const long CatheterNl = 600;

    /// <summary>The first byte of the active program in the image: after version, state, state before an alarm, bolus
    /// and has-program, one byte each.</summary>
    private const int ProgramStart = 5;

    [Fact]
    public void Programs_that_did_not_change_are_stepped_over_by_the_next_pass()
    {
        var rig = Running(Single("baclofen", 1_000_000, 1_440));
        var journal = new Journal();
        journal.Pass(rig.C, "first pass");
        // Bytes a pass steps over stay as they are: a scribble on the program shows that the pass did not compare it.
        journal.Skipping.Bytes[ProgramStart] ^= 0x5A;
        journal.Skipping.Pass(0, true, rig.C.Save);
        Assert.Equal(0, journal.Skipping.Ranges);
        Assert.Equal(journal.Comparing.Bytes[ProgramStart] ^ 0x5A, journal.Skipping.Bytes[ProgramStart]);
    }

    [Fact]
    public void A_committed_program_is_stored_by_the_next_pass()
    {
        var rig = Running(Single("baclofen", 1_000_000, 1_440));
        var journal = new Journal();
        journal.Pass(rig.C, "before the commit");
        journal.Pass(rig.C, "nothing changed");
        rig.RunFor(Hour);

        rig.Ok(rig.Do((c, t) => c.Commit(Flex(), false, t)));

        journal.Pass(rig.C, "after committing a flex program");
        Assert.Equal(Flex().ComputeCrc(), rig.C.ProgramCrc);
    }

    [Fact]
    public void A_commit_that_starts_a_bridge_stores_both_programs_and_the_bridge_end_stores_the_old_one_cleared()
    {
        var rig = Running(Single("baclofen", 1_000_000, 1_440));
        var journal = new Journal();
        journal.Pass(rig.C, "before the commit");

        rig.Ok(rig.Do((c, t) => c.Commit(Diluted(), true, t)));
        Assert.Equal(BolusKind.Bridge, rig.C.ActiveBolus);
        journal.Pass(rig.C, "after the commit that starts a bridge");

        // The old drug's 600 nL at 1 nL a minute: the bridge ends within 11 hours; a pass every hour until then.
        for (int hour = 1; hour <= 11; hour++)
        {
            rig.RunFor(Hour);
            journal.Pass(rig.C, "hour " + hour + " of the bridge");
        }
        Assert.Equal(BolusKind.None, rig.C.ActiveBolus);
        Assert.Contains(rig.Events, e => e.Kind == TherapyEventKind.BolusEnded && e.Code == (int)BolusKind.Bridge);
    }

    [Fact]
    public void A_loaded_image_with_other_programs_is_stored_by_the_next_pass()
    {
        var rig = Running(Single("baclofen", 1_000_000, 1_440));
        var journal = new Journal();
        journal.Pass(rig.C, "before the load");
        journal.Pass(rig.C, "nothing changed");

        // A rollback or a boot: the controller takes an image another controller saved, with other programs (a
        // running bridge: an active and an old one).
        var other = Running(Single("morphine", 500_000, 2_000));
        other.Ok(other.Do((c, t) => c.Commit(Flex("morphine", 125_000), true, t)));
        Assert.Equal(BolusKind.Bridge, other.C.ActiveBolus);
        var image = new StateWriter(new byte[Buffer]);
        other.C.Save(image);
        Assert.True(rig.C.Load(new StateReader(image.Buffer, 0, image.Position)));
        rig.C.Boot(rig.Now, 0);

        journal.Pass(rig.C, "after the load");
        Assert.Equal(other.C.ProgramCrc, rig.C.ProgramCrc);
    }

    [Fact]
    public void Any_sequence_of_program_changes_stores_the_same_bytes_and_ranges_as_passes_that_compare_them_all()
    {
        var random = new Random(31);
        int[] seen = new int[7];
        for (int trial = 0; trial < 6; trial++)
        {
            var rig = Running(Single("baclofen", 1_000_000, 1_440));
            var journal = new Journal();
            for (int pass = 0; pass < 40; pass++)
            {
                int what = random.Next(seen.Length);
                seen[what]++;
                switch (what)
                {
                    case 0: // PROG:COMMIT of another program, single-rate or flex, with or without a bridge (a refused one changes nothing)
                        var program = random.Next(2) == 0 ? Single("baclofen", random.Next(2) == 0 ? 1_000_000 : 250_000, 1_440 + random.Next(100)) : Flex();
                        if (random.Next(2) == 0) Check(program.SetCatheter(random.Next(1, 2_000)));
                        rig.Do((c, t) => c.Commit(program, random.Next(2) == 0, t));
                        break;
                    case 1: // delivery, which may end a bridge
                        rig.RunFor(random.NextInt64(Minute, 6 * Hour));
                        break;
                    case 2: // a rollback or a boot, from an image this or another controller saved
                        var other = random.Next(2) == 0 ? rig : Running(Single("morphine", 500_000, 2_000 + random.Next(100)));
                        if (other != rig && random.Next(2) == 0) other.Ok(other.Do((c, t) => c.Commit(Flex("morphine", 125_000), true, t)));
                        var image = new StateWriter(new byte[Buffer]);
                        other.C.Save(image);
                        Assert.True(rig.C.Load(new StateReader(image.Buffer, 0, image.Position)));
                        rig.C.Boot(rig.Now, 0);
                        rig.Drain();
                        break;
                    case 3: // STOP, START, a bolus: none of them changes a program
                        rig.Do((c, t) => random.Next(3) switch { 0 => c.Stop(t), 1 => c.Start(t), _ => c.StartClinicianBolus(10, 5, t) });
                        break;
                    case 4: // the image was read from the store
                        journal.Skipping.Writer.Invalidate();
                        break;
                    case 5: // a pass into another buffer (a request's rollback copy) is not the journal's pass
                        rig.C.Save(new StateWriter(new byte[Buffer]));
                        break;
                    default: // nothing happened between two passes
                        break;
                }
                journal.Pass(rig.C, $"trial {trial} pass {pass} after {what}");
            }
        }
        Assert.All(seen, n => Assert.True(n > 10));
    }

    /// <summary>Two journals of the therapy's image: one whose passes may step over the programs (the controller's own
    /// passes) and one whose passes compare every byte (a copy of the controller loaded from a full save, so that its
    /// passes are not the original's).</summary>
    private sealed class Journal
    {
        public readonly DiffPassImage Skipping = new(Buffer, 512);
        public readonly DiffPassImage Comparing = new(Buffer, 512);

        public void Pass(TherapyController controller, string where)
        {
            var full = new StateWriter(new byte[Buffer]);
            controller.Save(full);
            Assert.False(full.Overflow);
            var copy = new TherapyController(controller.MaxStepsPerSecond);
            Assert.True(copy.Load(new StateReader(full.Buffer, 0, full.Position)), where + ": the copy loads");
            Comparing.Pass(0, false, copy.Save);
            Skipping.Pass(0, true, controller.Save);
            Skipping.AssertSameAs(Comparing, where);
        }
    }

    private static Rig Running(Prescription program)
    {
        var rig = new Rig();
        rig.Ok(rig.C.SetCalibration(1_000_000, 0));
        rig.Begin(program, 1_000_000_000);
        return rig;
    }

    private static Prescription Single(string drug, long concNgPerMl, long rateNgPerDay)
    {
        var p = Program(drug, concNgPerMl, 1_000_000, (0, rateNgPerDay));
        Check(p.SetReservoir(Prescription.MaxCapacityNl, 0));
        return p;
    }

    /// <summary>The old drug diluted to a quarter, at the same 1,440 ng/day (4 nL a minute), with a 600 nL catheter: a
    /// commit with a bridge delivers the catheter's 600 nL of old drug first.</summary>
    private static Prescription Diluted()
    {
        var p = Single("baclofen", 250_000, 1_440);
        Check(p.SetCatheter(CatheterNl));
        return p;
    }

    /// <summary>A 12-step flex program: a rate change every two hours.</summary>
    private static Prescription Flex(string drug = "baclofen", long concNgPerMl = 1_000_000)
    {
        var p = new Prescription();
        Check(p.SetDrug(drug, concNgPerMl));
        Check(p.SetLimit(1_000_000));
        for (int i = 0; i < 12; i++) Check(p.SetStep(i * 120, 1_000 + 100 * i));
        Check(p.SetReservoir(Prescription.MaxCapacityNl, 0));
        Check(p.SetCatheter(CatheterNl));
        return p;
    }
}
