using PumpFirmware.Dosing;
using PumpFirmware.Therapy;
using Xunit;
using static PumpFirmware.Core.Tests.Rig;

namespace PumpFirmware.Core.Tests;

/// <summary>docs/DRUG-LIBRARY.md: the titration guard with the compiled-in ziconotide entry (Prialt label: rises of at
/// most 2.4 µg/day, at most 3 a week, at most 19.2 µg/day; 7.2 µg/day in a week = 3 x 2.4; at most 100 µg/mL).
/// Doses in ng (2.4 µg = 2400 ng); times on the device timeline in µs.</summary>
public class TitrationGuardTests
{
    private const long Day = 86_400_000_000L;
    private const long Hour = 3_600_000_000L;

    private readonly TitrationGuard _guard = new(new DrugLibrary(), new TitrationHistory());
    private Prescription? _active;

    private static Prescription Zic(long dailyNg, long concNgPerMl = 25_000, string drug = "ziconotide") =>
        Program(drug, concNgPerMl, 19_200, (0, dailyNg));

    /// <summary>Reviews <paramref name="p"/> at <paramref name="t"/>: the refusal text, or null.</summary>
    private string? Review(Prescription p, long t, bool overrideTitration = false)
    {
        _guard.Evaluate(p, _active, t);
        return _guard.Refusal(overrideTitration);
    }

    /// <summary>Commits <paramref name="p"/> at <paramref name="t"/> as ProgramCommands does; asserts it passes.</summary>
    private void Commit(Prescription p, long t, bool overrideTitration = false)
    {
        Assert.Null(Review(p, t, overrideTitration));
        _guard.RecordCommit(t, 0);
        _active = p;
    }

    [Fact]
    public void The_first_program_ever_passes_whatever_its_dose_under_the_maximum()
    {
        Assert.Null(Review(Zic(19_200), 0));
        Assert.False(_guard.HasBaseline);
        Assert.Equal(0, _guard.IncreaseNgPerDay);
    }

    [Fact]
    public void A_drug_without_an_entry_passes_and_says_so()
    {
        var p = Program("clonidine", 1_000_000, 10_000_000, (0, 9_000_000));
        Assert.Null(Review(p, 0));
        Assert.False(_guard.HasEntry);
        _active = p;
        Assert.Null(Review(Program("clonidine", 1_000_000, 10_000_000, (0, 10_000_000)), Hour));
    }

    [Theory]
    [InlineData(2_400, null)]                                            // exactly the label's step
    [InlineData(2_401, "increase_ug_day=2.401 exceeds max_step_ug_day=2.400 drug=ziconotide")]
    [InlineData(4_800, "increase_ug_day=4.800 exceeds max_step_ug_day=2.400 drug=ziconotide")]
    public void A_rise_per_change_is_at_most_the_step(long riseNg, string? refusal)
    {
        Commit(Zic(2_400), 0);
        Assert.Equal(refusal, Review(Zic(2_400 + riseNg), Day));
    }

    [Fact]
    public void The_fourth_rise_in_seven_days_is_refused_and_counts_free_after_seven_days()
    {
        Commit(Zic(2_400), 0);
        Commit(Zic(4_800), 1 * Day);
        Commit(Zic(7_200), 3 * Day);
        Commit(Zic(9_600), 5 * Day);
        // Rises at days 1, 3 and 5: a fourth at day 7 would be the fourth in the 7 days ending then.
        Assert.Equal("increases_7d=4 exceeds max_increases_7d=3 drug=ziconotide", Review(Zic(12_000), 7 * Day));
        Assert.Equal("increases_7d=4 exceeds max_increases_7d=3 drug=ziconotide", Review(Zic(12_000), 8 * Day - 1));
        // At day 8 the rise of day 1 is 7 days old: it no longer counts.
        Assert.Null(Review(Zic(12_000), 8 * Day));
        Assert.Equal(3, _guard.Increases7d);
    }

    [Fact]
    public void The_total_of_the_rises_in_seven_days_is_at_most_7_2()
    {
        var library = _guard.Library;
        // A per-pump entry that allows 4 rises a week: the total is what refuses.
        var limits = new DrugLimits();
        limits.Set("ziconotide", DrugLibrary.SourcePump, 100_000, 19_200, 2_400, 4, 7_200);
        Assert.Null(library.Set(limits));
        Commit(Zic(1_200), 0);
        Commit(Zic(3_600), Day);
        Commit(Zic(6_000), 2 * Day);
        Commit(Zic(8_400), 3 * Day);
        Assert.Equal("increase_7d_ug_day=7.300 exceeds max_increase_7d_ug_day=7.200 drug=ziconotide", Review(Zic(8_500), 4 * Day));
        Assert.Null(Review(Zic(8_400), 4 * Day));                 // no rise at all: always passes
    }

    [Fact]
    public void Decreases_and_the_same_dose_pass_and_a_rise_back_counts_as_a_rise()
    {
        Commit(Zic(4_800), 0);
        Commit(Zic(7_200), Hour);
        Commit(Zic(2_400), 2 * Hour);          // a decrease of any size passes
        Commit(Zic(2_400), 3 * Hour);          // so does the same dose
        Commit(Zic(4_800), 4 * Hour);          // back up: a rise (the second)
        Commit(Zic(7_200), 5 * Hour);          // the third
        Assert.Equal("increases_7d=4 exceeds max_increases_7d=3 drug=ziconotide", Review(Zic(9_600), 6 * Hour));
    }

    [Theory]
    [InlineData(100_000, 19_200, null)]
    [InlineData(100_001, 19_200, "conc_ug_ml=100.001 exceeds max_conc_ug_ml=100.000 drug=ziconotide")]
    [InlineData(100_000, 19_201, "worst_day_ug=19.201 exceeds max_ug_day=19.200 drug=ziconotide")]
    public void The_hard_limits_refuse_even_the_first_program_and_no_word_overrides_them(long conc, long daily, string? refusal)
    {
        var p = Program("ziconotide", conc, 100_000, (0, daily));
        Assert.Equal(refusal, Review(p, 0));
        Assert.Equal(refusal, Review(p, 0, overrideTitration: true));
    }

    [Fact]
    public void Patient_boluses_count_towards_the_maximum_daily_dose()
    {
        var p = Zic(16_800);
        Check(p.SetPtm(1_000, 10, 60, 3));                          // worst day 16.8 + 3 x 1 = 19.8
        Assert.Equal("worst_day_ug=19.800 exceeds max_ug_day=19.200 drug=ziconotide", Review(p, 0));
    }

    [Fact]
    public void The_override_word_lets_titration_limits_through_and_names_each_one()
    {
        Commit(Zic(2_400), 0);
        Commit(Zic(4_800), Day);
        Commit(Zic(7_200), 2 * Day);
        Commit(Zic(9_600), 3 * Day);
        var p = Zic(14_400);                                        // +4.8: step; 4th rise; total 12.0
        Assert.Equal("increase_ug_day=4.800 exceeds max_step_ug_day=2.400 drug=ziconotide", Review(p, 4 * Day));
        Assert.Equal(TitrationGuard.LimitStep | TitrationGuard.LimitIncreases | TitrationGuard.LimitTotal, _guard.ExceededLimits);
        Assert.Null(Review(p, 4 * Day, overrideTitration: true));
        Assert.Equal(4_800, _guard.ValueOf(TitrationGuard.LimitStep));
        Assert.Equal(2_400, _guard.LimitOf(TitrationGuard.LimitStep));
        Assert.Equal(4, _guard.ValueOf(TitrationGuard.LimitIncreases));
        Assert.Equal(12_000, _guard.ValueOf(TitrationGuard.LimitTotal));
        // The overridden rise is recorded like any other: it counts against the next one.
        Commit(p, 4 * Day, overrideTitration: true);
        Assert.Equal("increases_7d=5 exceeds max_increases_7d=3 drug=ziconotide", Review(Zic(16_800), 4 * Day + Hour));
    }

    [Fact]
    public void Switching_to_another_drug_and_back_does_not_forget_the_previous_dose()
    {
        Commit(Zic(2_400), 0);
        Commit(Program("saline", 1_000, 1_000, (0, 100)), Hour);
        Assert.Equal("increase_ug_day=16.800 exceeds max_step_ug_day=2.400 drug=ziconotide", Review(Zic(19_200), 2 * Hour));
        Assert.Null(Review(Zic(4_800), 2 * Hour));
    }

    [Fact]
    public void A_drug_whose_entry_has_no_titration_limit_keeps_no_history()
    {
        Commit(Program("baclofen", 500_000, 1_000_000, (0, 100_000)), 0);
        Commit(Program("baclofen", 500_000, 1_000_000, (0, 900_000)), Hour);
        Assert.Equal(0, _guard.History.Count);
        Assert.Equal("conc_ug_ml=2000.001 exceeds max_conc_ug_ml=2000.000 drug=baclofen",
            Review(Program("baclofen", 2_000_001, 1_000_000, (0, 100_000)), 2 * Hour));
    }

    [Fact]
    public void A_per_pump_entry_replaces_the_compiled_in_one_and_clearing_it_brings_that_back()
    {
        var limits = new DrugLimits();
        limits.Set("ziconotide", DrugLibrary.SourcePump, DrugLibrary.NotLimited, 21_600, 1_200, 7, DrugLibrary.NotLimited);
        Assert.Null(_guard.Library.Set(limits));
        Commit(Zic(2_400), 0);
        Assert.Equal("increase_ug_day=2.400 exceeds max_step_ug_day=1.200 drug=ziconotide", Review(Zic(4_800), Day));
        Assert.True(_guard.Library.Clear("ziconotide"));
        Assert.Null(Review(Zic(4_800), Day));
        Assert.False(_guard.Library.Clear("ziconotide"));
    }
}
