using System.Globalization;
using System.Text;

namespace PumpFirmware.VirtualDevice.Scenarios;

/// <summary>What a scenario run produced, for the summary table and for tests.</summary>
public sealed class ScenarioResult
{
    /// <summary>Scenario name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Virtual time simulated, s.</summary>
    public double SimulatedSeconds { get; set; }

    /// <summary>Volume the firmware counted (STATUS? delivered_ul), µL.</summary>
    public double DeliveredMicroliters { get; set; }

    /// <summary>Steps the firmware counted.</summary>
    public long Steps { get; set; }

    /// <summary>Reservoir at the end, µL.</summary>
    public double ReservoirMicroliters { get; set; }

    /// <summary>Volume that really left the catheter (the plant), µL.</summary>
    public double PlantMicroliters { get; set; }

    /// <summary>Final mass on the balance, g (when on).</summary>
    public double? BalanceGrams { get; set; }

    /// <summary>Drug concentration of the program, µg/mL (for the 24 h check).</summary>
    public double ConcentrationUgPerMl { get; set; }

    /// <summary>The program's limit, µg per 24 h.</summary>
    public double LimitUgPerDay { get; set; }

    /// <summary>The most drug the plant moved in any rolling 24 h (minute resolution), µg, at the firmware's calibration.</summary>
    public double MaxRolling24hUg { get; set; }

    /// <summary>PTM presses granted.</summary>
    public int PtmGranted { get; set; }

    /// <summary>PTM presses refused.</summary>
    public int PtmRefused { get; set; }

    /// <summary>Clinician boluses accepted.</summary>
    public int ClinicianBoluses { get; set; }

    /// <summary>Alarms raised, by code.</summary>
    public SortedDictionary<string, int> AlarmsRaised { get; } = new(StringComparer.Ordinal);

    /// <summary>Power cycles.</summary>
    public int PowerCycles { get; set; }

    /// <summary>Steps the power losses took from the counters.</summary>
    public long StepsLostAtPowerLoss { get; set; }

    /// <summary>Telemetry rows written.</summary>
    public long TelemetryRows { get; set; }

    /// <summary>Requests answered ERR that no expect line allowed (with <c>errors fail</c>, the
    /// default, each is also a failure).</summary>
    public int Errors { get; set; }

    /// <summary>Requests answered ERR as an expect line said they would be.</summary>
    public int ExpectedErrors { get; set; }

    /// <summary>Expectations checked (expect lines, status checks, event windows, the golden trace).</summary>
    public int Checks { get; set; }

    /// <summary>What failed, each naming where it was written, what was expected and what
    /// happened; empty when the run passed.</summary>
    public List<string> Failures { get; } = new();

    /// <summary>Wall-clock seconds the run took (not in the golden summary).</summary>
    public double WallSeconds { get; set; }

    /// <summary>Plant volume against the firmware's count, %.</summary>
    public double AccuracyPercent => DeliveredMicroliters == 0 ? 0 : 100.0 * (PlantMicroliters - DeliveredMicroliters) / DeliveredMicroliters;

    /// <summary>The summary as an aligned two-column table (deterministic: no wall time).</summary>
    public string ToTable()
    {
        var rows = new List<(string, string)>
        {
            ("scenario", Name),
            ("simulated", Duration(SimulatedSeconds)),
            ("delivered (firmware)", F(DeliveredMicroliters) + " uL, " + Steps + " steps"),
            ("delivered (plant)", F(PlantMicroliters) + " uL"),
            ("accuracy (plant vs firmware)", AccuracyPercent.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) + " %"),
        };
        if (BalanceGrams is double g) rows.Add(("balance", g.ToString("0.0000", CultureInfo.InvariantCulture) + " g"));
        rows.Add(("reservoir at end", F(ReservoirMicroliters) + " uL"));
        if (LimitUgPerDay > 0)
            rows.Add(("max drug in any 24 h", F(MaxRolling24hUg) + " ug (limit " + F(LimitUgPerDay) + ")"));
        rows.Add(("patient boluses", PtmGranted + " granted, " + PtmRefused + " refused"));
        rows.Add(("clinician boluses", ClinicianBoluses.ToString(CultureInfo.InvariantCulture)));
        rows.Add(("alarms raised", AlarmsRaised.Count == 0 ? "none" : string.Join(", ", AlarmsRaised.Select(a => a.Key + " x" + a.Value))));
        rows.Add(("power cycles", PowerCycles + " (" + StepsLostAtPowerLoss + " steps lost from the counters)"));
        rows.Add(("telemetry rows", TelemetryRows.ToString(CultureInfo.InvariantCulture)));
        rows.Add(("errors", Errors.ToString(CultureInfo.InvariantCulture)));
        rows.Add(("expectations", Failures.Count == 0 ? "all met" : Failures.Count + " FAILED"));
        int width = rows.Max(r => r.Item1.Length);
        var sb = new StringBuilder();
        foreach (var (k, v) in rows) sb.Append(k.PadRight(width)).Append("  ").Append(v).Append('\n');
        foreach (string f in Failures) sb.Append("FAILED ").Append(f).Append('\n');
        return sb.ToString();
    }

    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Duration(double seconds)
    {
        long s = (long)seconds;
        return $"{s / 86400}d {s % 86400 / 3600:00}:{s % 3600 / 60:00}:{s % 60:00}";
    }
}
