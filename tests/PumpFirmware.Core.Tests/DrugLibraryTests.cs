using PumpFirmware.Dosing;
using PumpFirmware.Storage;
using PumpFirmware.Therapy;
using Xunit;

namespace PumpFirmware.Core.Tests;

/// <summary>docs/DRUG-LIBRARY.md: the compiled-in entries, per-pump entries, and state sections 3 and 4 (fixed bytes,
/// every field checked on load, a ring that never forgets a rise early).</summary>
public class DrugLibraryTests
{
    private const long Day = 86_400_000_000L;

    private static DrugLimits Find(DrugLibrary library, string drug)
    {
        var limits = new DrugLimits();
        library.Find(drug, limits);
        return limits;
    }

    [Fact]
    public void The_compiled_in_entries_are_those_docs_DRUG_LIBRARY_sources()
    {
        var library = new DrugLibrary();
        var zic = Find(library, "ziconotide");
        Assert.Equal((DrugLibrary.SourceDefault, 100_000L, 19_200L, 2_400L, 3, 7_200L),
            (zic.Source, zic.MaxConcNgPerMl, zic.MaxDailyNg, zic.MaxStepNgPerDay, zic.MaxIncreases7d, zic.MaxIncrease7dNgPerDay));
        var morphine = Find(library, "morphine");
        Assert.Equal((20_000_000L, 15_000_000L, false), (morphine.MaxConcNgPerMl, morphine.MaxDailyNg, morphine.HasTitrationLimit));
        var baclofen = Find(library, "baclofen");
        Assert.Equal((2_000_000L, DrugLibrary.NotLimited, false), (baclofen.MaxConcNgPerMl, baclofen.MaxDailyNg, baclofen.HasTitrationLimit));
        Assert.Equal(DrugLibrary.SourceNone, Find(library, "Ziconotide").Source);   // names match exactly
    }

    [Fact]
    public void The_ninth_per_pump_entry_is_refused_and_changes_nothing()
    {
        var library = new DrugLibrary();
        var limits = new DrugLimits();
        for (int i = 0; i < DrugLibrary.PumpSlots; i++)
        {
            limits.Set("d" + i, DrugLibrary.SourcePump, 1000, DrugLibrary.NotLimited, DrugLibrary.NotLimited, -1, DrugLibrary.NotLimited);
            Assert.Null(library.Set(limits));
        }
        limits.Set("d9", DrugLibrary.SourcePump, 1000, DrugLibrary.NotLimited, DrugLibrary.NotLimited, -1, DrugLibrary.NotLimited);
        Assert.Equal("entries=9 exceeds max_entries=8", library.Set(limits));
        Assert.Equal(DrugLibrary.SourceNone, Find(library, "d9").Source);
        limits.Set("d3", DrugLibrary.SourcePump, 5000, DrugLibrary.NotLimited, DrugLibrary.NotLimited, -1, DrugLibrary.NotLimited);
        Assert.Null(library.Set(limits));                               // replacing one of the eight is fine
        Assert.Equal(5000, Find(library, "d3").MaxConcNgPerMl);
    }

    [Theory]
    [InlineData(0L, -1L, -1L, -1, -1L, "max_conc_ug_ml=0.000 out of range 0.001..100000.000")]
    [InlineData(100_000_001L, -1L, -1L, -1, -1L, "max_conc_ug_ml=100000.001 out of range 0.001..100000.000")]
    [InlineData(-1L, 0L, -1L, -1, -1L, "max_ug_day=0.000 out of range 0.001..100000000.000")]
    [InlineData(-1L, -1L, 100_000_000_001L, -1, -1L, "max_step_ug_day=100000000.001 out of range 0.000..100000000.000")]
    [InlineData(-1L, -1L, -1L, 101, -1L, "max_increases_7d=101 out of range 0..100")]
    [InlineData(-1L, -1L, 0L, 0, 0L, null)]                                   // no rise at all: a freeze
    public void Ranges_of_an_entry(long conc, long daily, long step, int count, long total, string? error)
    {
        var limits = new DrugLimits();
        limits.Set("x", DrugLibrary.SourcePump, conc, daily, step, count, total);
        Assert.Equal(error, DrugLibrary.CheckRanges(limits));
    }

    private static (byte[] Bytes, int Length) Save(System.Action<StateWriter> save, int size)
    {
        var writer = new StateWriter(new byte[size + 16]);
        save(writer);
        return (writer.Buffer, writer.Position);
    }

    [Fact]
    public void The_library_section_has_a_fixed_size_and_round_trips()
    {
        var library = new DrugLibrary();
        var empty = Save(library.SaveSection, DrugLibrary.SectionLength);
        Assert.Equal(DrugLibrary.SectionLength, empty.Length);
        Assert.True(DrugLibrary.SectionLength <= 512);
        var limits = new DrugLimits();
        limits.Set("ziconotide", DrugLibrary.SourcePump, 25_000, 12_000, 1_200, 2, 2_400);
        Assert.Null(library.Set(limits));
        var full = Save(library.SaveSection, DrugLibrary.SectionLength);
        Assert.Equal(DrugLibrary.SectionLength, full.Length);

        var loaded = new DrugLibrary();
        Assert.True(loaded.LoadSection(new StateReader(full.Bytes, 0, full.Length), full.Length));
        var z = Find(loaded, "ziconotide");
        Assert.Equal((DrugLibrary.SourcePump, 25_000L, 12_000L, 1_200L, 2, 2_400L),
            (z.Source, z.MaxConcNgPerMl, z.MaxDailyNg, z.MaxStepNgPerDay, z.MaxIncreases7d, z.MaxIncrease7dNgPerDay));
        Assert.Equal(full.Bytes[..full.Length], Save(loaded.SaveSection, DrugLibrary.SectionLength).Bytes[..full.Length]);
        loaded.ClearSection();
        Assert.Equal(DrugLibrary.SourceDefault, Find(loaded, "ziconotide").Source);
    }

    [Fact]
    public void A_library_section_with_any_byte_changed_to_nonsense_is_refused_or_reads_the_same_entries()
    {
        var library = new DrugLibrary();
        var limits = new DrugLimits();
        limits.Set("ziconotide", DrugLibrary.SourcePump, 25_000, 12_000, 1_200, 2, 2_400);
        Assert.Null(library.Set(limits));
        var image = Save(library.SaveSection, DrugLibrary.SectionLength);
        for (int i = 0; i < image.Length; i++)
        {
            var bytes = (byte[])image.Bytes.Clone();
            bytes[i] = 0xFF;
            var loaded = new DrugLibrary();
            if (!loaded.LoadSection(new StateReader(bytes, 0, image.Length), image.Length)) continue;
            // Accepted: then it holds valid entries only (what it saves reloads).
            var again = Save(loaded.SaveSection, DrugLibrary.SectionLength);
            Assert.True(new DrugLibrary().LoadSection(new StateReader(again.Bytes, 0, again.Length), again.Length), "byte " + i);
        }
        Assert.False(new DrugLibrary().LoadSection(new StateReader(image.Bytes, 0, image.Length - 1), image.Length - 1));
    }

    [Fact]
    public void The_history_section_has_a_fixed_size_and_round_trips()
    {
        var history = new TitrationHistory();
        Assert.True(TitrationHistory.SectionLength <= 512);
        history.Add(5, 1_767_261_600, TitrationHistory.DrugKey("ziconotide"), 2_400, 0);
        history.Add(Day, 0, TitrationHistory.DrugKey("ziconotide"), 4_800, 2_400);
        var image = Save(history.SaveSection, TitrationHistory.SectionLength);
        Assert.Equal(TitrationHistory.SectionLength, image.Length);
        var loaded = new TitrationHistory();
        Assert.True(loaded.LoadSection(new StateReader(image.Bytes, 0, image.Length), image.Length));
        Assert.Equal(2, loaded.Count);
        Assert.Equal((Day, 4_800L, 2_400L, 1), (loaded.TimelineMicrosAt(1), loaded.DailyNgAt(1), loaded.IncreaseNgPerDayAt(1), loaded.IncreasesAt(1)));
        Assert.Equal(1_767_261_600, loaded.UnixSecondsAt(0));
        Assert.Equal(image.Bytes[..image.Length], Save(loaded.SaveSection, TitrationHistory.SectionLength).Bytes[..image.Length]);
    }

    [Fact]
    public void A_history_section_out_of_order_or_with_a_rise_count_that_does_not_match_is_refused()
    {
        var history = new TitrationHistory();
        history.Add(Day, 0, 7, 2_400, 0);
        history.Add(2 * Day, 0, 7, 4_800, 2_400);
        var image = Save(history.SaveSection, TitrationHistory.SectionLength);
        // Record 1's timeline (offset 2 + 37) set before record 0's.
        var early = (byte[])image.Bytes.Clone();
        for (int b = 0; b < 8; b++) early[2 + 37 + b] = 0;
        Assert.False(new TitrationHistory().LoadSection(new StateReader(early, 0, image.Length), image.Length));
        // Record 1's increase count (its last byte) 0 while its increase is 2.4.
        var count = (byte[])image.Bytes.Clone();
        count[2 + 37 + 36] = 0;
        Assert.False(new TitrationHistory().LoadSection(new StateReader(count, 0, image.Length), image.Length));
    }

    [Theory]
    [InlineData(0, -1L)]                                    // the timeline before the device's
    [InlineData(8, -1L)]                                    // the wall clock before 1970
    [InlineData(20, -1L)]                                   // a negative daily dose
    [InlineData(20, Prescription.MaxDoseNg + 1)]            // a daily dose past the largest a program holds
    [InlineData(37 + 28, -1L)]                              // a negative rise (the second record's)
    [InlineData(37 + 28, TitrationHistory.Capacity * Prescription.MaxDoseNg + 1)] // a rise past twelve of the largest
    public void A_history_record_with_a_field_out_of_range_is_refused(int fieldOffset, long value)
    {
        var history = new TitrationHistory();
        history.Add(Day, 1_767_261_600, 7, 2_400, 0);
        history.Add(2 * Day, 1_767_348_000, 7, 4_800, 2_400);
        var image = Save(history.SaveSection, TitrationHistory.SectionLength);
        Assert.True(new TitrationHistory().LoadSection(new StateReader(image.Bytes, 0, image.Length), image.Length));
        // Each record is 37 bytes after the version and count: timeline, unix, drug key, daily, rise, rise count (8, 8, 4,
        // 8, 8, 1). One field of the first record, or of the second (the one with a rise), is changed.
        var bad = (byte[])image.Bytes.Clone();
        for (int b = 0; b < 8; b++) bad[2 + fieldOffset + b] = (byte)(value >> (8 * b));
        var loaded = new TitrationHistory();
        loaded.Add(3 * Day, 0, 9, 1_000, 0);
        Assert.False(loaded.LoadSection(new StateReader(bad, 0, image.Length), image.Length));
        Assert.Equal((1, 9), (loaded.Count, loaded.DrugKeyAt(0)));
    }

    [Fact]
    public void Rises_count_toward_their_own_drug_only()
    {
        var history = new TitrationHistory();
        int zic = TitrationHistory.DrugKey("ziconotide");
        int morphine = TitrationHistory.DrugKey("morphine");
        history.Add(Day, 0, zic, 2_400, 0);
        history.Add(2 * Day, 0, zic, 4_800, 2_400);
        history.Add(3 * Day, 0, morphine, 1_000_000, 0);
        history.Add(4 * Day, 0, morphine, 1_500_000, 500_000);
        history.Add(5 * Day, 0, morphine, 1_600_000, 100_000);

        history.IncreasesIn7Days(zic, 6 * Day, out int zicRises, out long zicSum);
        history.IncreasesIn7Days(morphine, 6 * Day, out int morphineRises, out long morphineSum);
        history.IncreasesIn7Days(TitrationHistory.DrugKey("baclofen"), 6 * Day, out int none, out long noneSum);
        Assert.Equal((1, 2_400L), (zicRises, zicSum));
        Assert.Equal((2, 600_000L), (morphineRises, morphineSum));
        Assert.Equal((0, 0L), (none, noneSum));
        Assert.Equal(2 * Day + TitrationHistory.WindowMicros, history.OldestIncreaseExpiresMicros(zic, 6 * Day));
        Assert.Equal(4 * Day + TitrationHistory.WindowMicros, history.OldestIncreaseExpiresMicros(morphine, 6 * Day));
    }

    [Fact]
    public void A_full_ring_never_forgets_a_rise_younger_than_seven_days()
    {
        var history = new TitrationHistory();
        int zic = TitrationHistory.DrugKey("ziconotide");
        int other = TitrationHistory.DrugKey("saline");
        // 20 rises of 0.1 µg/day, one an hour, alternating with another drug's commits: far more than 12 records.
        for (int i = 0; i < 20; i++)
        {
            history.Add(i * 2L * 3_600_000_000L, 0, zic, 100 * (i + 1), 100);
            history.Add((i * 2L + 1) * 3_600_000_000L, 0, other, 1, 0);
        }
        Assert.Equal(TitrationHistory.Capacity, history.Count);
        history.IncreasesIn7Days(zic, 40 * 3_600_000_000L, out int increases, out long sum);
        Assert.True(increases >= 20, "rises counted: " + increases);
        Assert.True(sum >= 2_000, "sum counted: " + sum);
        // And none expires before 7 days after the last rise it may hold.
        history.IncreasesIn7Days(zic, 38 * 3_600_000_000L + TitrationHistory.WindowMicros - 1, out increases, out _);
        Assert.True(increases >= 1);
    }

    [Fact]
    public void A_record_counts_for_exactly_seven_days_on_the_timeline()
    {
        var history = new TitrationHistory();
        int zic = TitrationHistory.DrugKey("ziconotide");
        history.Add(10, 0, zic, 4_800, 2_400);
        history.IncreasesIn7Days(zic, 10 + TitrationHistory.WindowMicros - 1, out int inside, out _);
        history.IncreasesIn7Days(zic, 10 + TitrationHistory.WindowMicros, out int after, out _);
        Assert.Equal((1, 0), (inside, after));
    }
}
