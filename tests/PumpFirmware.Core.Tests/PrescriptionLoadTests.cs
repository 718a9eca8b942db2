using PumpFirmware.Dosing;
using PumpFirmware.Storage;
using Xunit;
using static PumpFirmware.Core.Tests.SamplePrograms;

namespace PumpFirmware.Core.Tests;

// The active program survives a reset (PROTOCOL.md "Power and reset"); stored state that fails its
// checks at boot is the CRITICAL alarm. Prescription.Load reads what Save wrote and checks every field
// with the same ranges as the PROG: commands; a record with any one field out of range is refused,
// the reader is marked failed, and the program loaded into is left exactly as it was.
public class PrescriptionLoadTests
{
    /// <summary>A saved program written field by field in Save's layout, so that one field at a
    /// time can be corrupted. The defaults are SamplePrograms.Full().</summary>
    private sealed class Record
    {
        public string Name = "Morph-2_x";
        public long Conc = 2_500_000;
        public long Limit = 2_000_000;
        public int Count = 3;
        public int[] Minutes = { 450, 720, 1320, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
        public long[] Rates = { 2_000_000, 1_000_000, 500_000, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
        public int PtmByte = 1;
        public long Dose = 50_000;
        public int Duration = 15;
        public int Lockout = 120;
        public int MaxPerDay = 6;
        public long Capacity = 40_000_000;
        public long Low = 5_000_000;
        public long Catheter = 250_500;
        public long MinRate = 100_000;

        public static Record Empty()
        {
            return new Record
            {
                Name = "", Conc = 0, Limit = 0, Count = 0,
                Minutes = new int[Prescription.MaxSteps], Rates = new long[Prescription.MaxSteps],
                PtmByte = 0, Dose = 0, Duration = 0, Lockout = 0, MaxPerDay = 0,
                Capacity = Prescription.DefaultCapacityNl, Low = Prescription.DefaultLowAlarmNl, Catheter = 0, MinRate = 0,
            };
        }

        public byte[] Bytes()
        {
            var buffer = new byte[1024];
            var w = new StateWriter(buffer);
            w.WriteAscii(Name);
            w.WriteLong(Conc);
            w.WriteLong(Limit);
            w.WriteByte(Count);
            for (int i = 0; i < Prescription.MaxSteps; i++)
            {
                w.WriteInt(Minutes[i]);
                w.WriteLong(Rates[i]);
            }
            w.WriteByte(PtmByte);
            w.WriteLong(Dose);
            w.WriteInt(Duration);
            w.WriteInt(Lockout);
            w.WriteInt(MaxPerDay);
            w.WriteLong(Capacity);
            w.WriteLong(Low);
            w.WriteLong(Catheter);
            w.WriteLong(MinRate);
            Assert.False(w.Overflow);
            return buffer.AsSpan(0, w.Position).ToArray();
        }
    }

    private static byte[] Saved(Prescription p)
    {
        var buffer = new byte[1024];
        var w = new StateWriter(buffer);
        p.Save(w);
        Assert.False(w.Overflow);
        return buffer.AsSpan(0, w.Position).ToArray();
    }

    [Fact]
    public void Save_writes_every_field_in_the_fixed_layout()
    {
        // 1 + 9 (name) + 8 + 8 + 1 + 12 x (4 + 8) + 1 + 8 + 3 x 4 + 4 x 8 = 224 bytes.
        byte[] saved = Saved(Full());
        Assert.Equal(224, saved.Length);
        Assert.Equal(new Record().Bytes(), saved);
    }

    [Fact]
    public void An_empty_program_saves_an_empty_name_and_its_defaults()
    {
        Assert.Equal(Record.Empty().Bytes(), Saved(new Prescription()));
    }

    [Fact]
    public void Clear_and_clear_steps_leave_nothing_of_the_old_steps_in_the_saved_record()
    {
        var cleared = Full();
        cleared.Clear();
        Assert.Equal(Saved(new Prescription()), Saved(cleared));

        var noSteps = Full();
        noSteps.ClearSteps();
        var expected = new Record { Count = 0, Minutes = new int[Prescription.MaxSteps], Rates = new long[Prescription.MaxSteps] };
        Assert.Equal(expected.Bytes(), Saved(noSteps));
    }

    [Fact]
    public void Copy_from_copies_the_unused_step_slots_too()
    {
        // A copy saves exactly like its source, whatever the target held before.
        var target = new Prescription();
        for (int i = 0; i < Prescription.MaxSteps; i++) Assert.Null(target.SetStep(i * 100 + 1, i + 1));
        target.CopyFrom(Full());
        Assert.Equal(Saved(Full()), Saved(target));
    }

    private static void AssertLoads(byte[] record, Prescription expected)
    {
        var target = new Prescription();
        for (int i = 0; i < Prescription.MaxSteps; i++) Assert.Null(target.SetStep(i * 100 + 1, i + 1));
        Assert.Null(target.SetPtm(1, 1, 1, 1));
        var reader = new StateReader(record, 0, record.Length);
        Assert.True(target.Load(reader));
        Assert.False(reader.Failed);
        Assert.Equal(record.Length, reader.Position);
        Assert.True(expected.SameAs(target));
        Assert.Equal(expected.CanonicalText(), target.CanonicalText());
        Assert.Equal(record, Saved(target));
    }

    [Fact]
    public void A_saved_program_with_every_field_set_loads_back_exactly()
    {
        AssertLoads(Saved(Full()), Full());
    }

    [Fact]
    public void An_empty_program_loads_back_empty()
    {
        AssertLoads(Saved(new Prescription()), new Prescription());
    }

    [Fact]
    public void Incomplete_programs_load_back_as_saved()
    {
        var noLimit = new Prescription();
        Assert.Null(noLimit.SetDrug("d", 1_000));
        Assert.Null(noLimit.SetStep(60, 5));
        AssertLoads(Saved(noLimit), noLimit);

        var noDrug = new Prescription();
        Assert.Null(noDrug.SetLimit(1_000));
        Assert.Null(noDrug.SetStep(60, 5));
        AssertLoads(Saved(noDrug), noDrug);

        var noSteps = Full();
        noSteps.ClearSteps();
        AssertLoads(Saved(noSteps), noSteps);
    }

    [Fact]
    public void A_program_at_every_maximum_loads_back_exactly()
    {
        var p = new Prescription();
        Assert.Null(p.SetDrug("ABCDEFGHIJKLMNOP", Prescription.MaxConcNgPerMl));
        Assert.Null(p.SetLimit(Prescription.MaxDoseNg));
        // 12 steps, the first at 00:00 and the last at 23:59, one minute after the one before it.
        for (int i = 0; i < 11; i++) Assert.Null(p.SetStep(i, Prescription.MaxDoseNg));
        Assert.Null(p.SetStep(1439, 0));
        Assert.Null(p.SetPtm(Prescription.MaxDoseNg, 1440, 1440, 100));
        Assert.Null(p.SetReservoir(Prescription.MaxCapacityNl, Prescription.MaxCapacityNl));
        Assert.Null(p.SetCatheter(Prescription.MaxCatheterNl));
        Assert.Null(p.SetMinRate(Prescription.MaxMinRateNlPerDay));
        AssertLoads(Saved(p), p);
    }

    [Fact]
    public void A_program_at_every_minimum_loads_back_exactly()
    {
        var p = new Prescription();
        Assert.Null(p.SetDrug("a", 1));
        Assert.Null(p.SetLimit(1));
        Assert.Null(p.SetStep(0, 0));
        Assert.Null(p.SetPtm(1, 1, 0, 1));
        Assert.Null(p.SetReservoir(1, 0));
        AssertLoads(Saved(p), p);
    }

    public static TheoryData<string> Corruptions => new TheoryData<string>
    {
        "drug name with a space", "drug name of 17 characters", "concentration 0", "concentration over the maximum",
        "concentration without a drug", "limit negative", "limit over the maximum",
        "13 steps", "255 steps", "a step at the time of the one before", "steps out of order", "a step at 24:00",
        "a step before 00:00", "a step rate negative", "a step rate over the maximum",
        "ptm flag 2", "ptm dose 0", "ptm duration 0", "ptm duration 1441", "ptm lockout negative",
        "ptm lockout 1441", "ptm max per day 0", "ptm max per day 101",
        "ptm off with a dose", "ptm off with a duration", "ptm off with a lockout", "ptm off with a max per day",
        "capacity 0", "capacity over the maximum", "low alarm over the capacity", "low alarm negative",
        "catheter negative", "catheter over the maximum", "minimum rate negative", "minimum rate over the maximum",
    };

    private static void Corrupt(Record r, string field)
    {
        switch (field)
        {
            case "drug name with a space": r.Name = "Morph 2_x"; break;
            case "drug name of 17 characters": r.Name = "ABCDEFGHIJKLMNOPQ"; break;
            case "concentration 0": r.Conc = 0; break;
            case "concentration over the maximum": r.Conc = Prescription.MaxConcNgPerMl + 1; break;
            case "concentration without a drug":
                // An empty program with only a concentration: everything else as a new Prescription saves it.
                Record e = Record.Empty();
                r.Name = e.Name; r.Conc = 1; r.Limit = 0; r.Count = 0; r.Minutes = e.Minutes; r.Rates = e.Rates;
                r.PtmByte = 0; r.Dose = 0; r.Duration = 0; r.Lockout = 0; r.MaxPerDay = 0;
                r.Capacity = e.Capacity; r.Low = e.Low; r.Catheter = 0; r.MinRate = 0;
                break;
            case "limit negative": r.Limit = -1; break;
            case "limit over the maximum": r.Limit = Prescription.MaxDoseNg + 1; break;
            case "13 steps":
                // All 12 slots hold valid increasing steps (22:10 .. 23:30 after the three): only the count is wrong.
                for (int i = 3; i < Prescription.MaxSteps; i++) { r.Minutes[i] = 1330 + 10 * (i - 3); r.Rates[i] = 1; }
                r.Count = 13;
                break;
            case "255 steps": r.Count = 255; break;
            case "a step at the time of the one before": r.Minutes[1] = 450; break;
            case "steps out of order": r.Minutes[1] = 449; break;
            case "a step at 24:00": r.Minutes[2] = 1440; break;
            case "a step before 00:00": r.Minutes[0] = -1; break;
            case "a step rate negative": r.Rates[1] = -1; break;
            case "a step rate over the maximum": r.Rates[2] = Prescription.MaxDoseNg + 1; break;
            case "ptm flag 2": PtmOff(r); r.PtmByte = 2; break;   // neither off (0) nor on (1), fields all 0
            case "ptm dose 0": r.Dose = 0; break;
            case "ptm duration 0": r.Duration = 0; break;
            case "ptm duration 1441": r.Duration = 1441; break;
            case "ptm lockout negative": r.Lockout = -1; break;
            case "ptm lockout 1441": r.Lockout = 1441; break;
            case "ptm max per day 0": r.MaxPerDay = 0; break;
            case "ptm max per day 101": r.MaxPerDay = 101; break;
            case "ptm off with a dose": PtmOff(r); r.Dose = 1; break;
            case "ptm off with a duration": PtmOff(r); r.Duration = 1; break;
            case "ptm off with a lockout": PtmOff(r); r.Lockout = 1; break;
            case "ptm off with a max per day": PtmOff(r); r.MaxPerDay = 1; break;
            case "capacity 0": r.Capacity = 0; r.Low = 0; break;
            case "capacity over the maximum": r.Capacity = Prescription.MaxCapacityNl + 1; break;
            case "low alarm over the capacity": r.Low = r.Capacity + 1; break;
            case "low alarm negative": r.Low = -1; break;
            case "catheter negative": r.Catheter = -1; break;
            case "catheter over the maximum": r.Catheter = Prescription.MaxCatheterNl + 1; break;
            case "minimum rate negative": r.MinRate = -1; break;
            case "minimum rate over the maximum": r.MinRate = Prescription.MaxMinRateNlPerDay + 1; break;
            default: throw new ArgumentException(field);
        }
    }

    private static void PtmOff(Record r)
    {
        r.PtmByte = 0;
        r.Dose = 0;
        r.Duration = 0;
        r.Lockout = 0;
        r.MaxPerDay = 0;
    }

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void A_record_with_one_field_out_of_range_is_refused_and_changes_nothing(string field)
    {
        var r = new Record();
        Corrupt(r, field);
        byte[] record = r.Bytes();

        var target = Full();
        Assert.Null(target.SetStep(0, 7));      // differs from the record even where the record is valid
        var before = CopyOf(target);
        var reader = new StateReader(record, 0, record.Length);
        Assert.False(target.Load(reader));
        Assert.True(reader.Failed);
        AssertUnchanged(before, target);
    }

    [Fact]
    public void The_corruptions_are_each_one_field_of_an_otherwise_loadable_record()
    {
        // Guards the table above: with PTM off (all zeros) the record still loads; only the
        // corrupted field makes the difference.
        var r = new Record();
        PtmOff(r);
        var expected = Full();
        expected.SetPtmOff();
        AssertLoads(r.Bytes(), expected);
        AssertLoads(new Record().Bytes(), Full());
    }

    [Fact]
    public void A_record_cut_short_anywhere_is_refused_and_changes_nothing()
    {
        byte[] record = Saved(Full());
        for (int length = 0; length < record.Length; length++)
        {
            var target = new Prescription();
            Assert.Null(target.SetDrug("d", 1));
            var before = CopyOf(target);
            var reader = new StateReader(record, 0, length);
            Assert.False(target.Load(reader), "length " + length);
            Assert.True(reader.Failed);
            AssertUnchanged(before, target);
        }
    }

    [Fact]
    public void A_reader_that_already_failed_loads_nothing()
    {
        byte[] record = Saved(Full());
        var reader = new StateReader(record, 0, record.Length);
        reader.Fail();
        var target = new Prescription();
        Assert.False(target.Load(reader));
        AssertUnchanged(new Prescription(), target);
    }
}
