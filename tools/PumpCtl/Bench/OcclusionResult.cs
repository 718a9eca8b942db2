// What `pumpctl bench occlusion` measured: the figures IEC 60601-2-24's occlusion test reports
// (time to the alarm, the pressure it came at, the unintended bolus) and the volume the pump
// pushed against the block, with the time series behind them.
namespace PumpCtl.Bench;

/// <summary>One sample of the occlusion test's time series.</summary>
/// <param name="TimeSeconds">Device time since the test began, s.</param>
/// <param name="Phase">settle, occluded, alarm or release.</param>
/// <param name="MassGrams">The balance (SI), g.</param>
/// <param name="PressureMmHg">The pump's filtered pressure, mmHg (null: no number).</param>
/// <param name="DeliveredMicroliters">The pump's own count, µL.</param>
/// <param name="State">The therapy state.</param>
/// <param name="Alarms">The active alarms.</param>
public sealed record OcclusionSample(double TimeSeconds, string Phase, double MassGrams, double? PressureMmHg, double DeliveredMicroliters, string State, string Alarms);

/// <summary>The test's result.</summary>
public sealed record OcclusionResult
{
    /// <summary>The set rate, µL/h.</summary>
    public double RateMicrolitersPerHour { get; init; }

    /// <summary>The occlusion limit in force, mmHg.</summary>
    public double LimitMmHg { get; init; }

    /// <summary>Flow measured on the balance over the settling, µL/h.</summary>
    public double SettledRateMicrolitersPerHour { get; init; }

    /// <summary>Device time from the block to !ALARM code=OCCLUSION, s.</summary>
    public double TimeToAlarmSeconds { get; init; }

    /// <summary>Volume the pump counted from the block to the alarm (held back in the line), µL.</summary>
    public double VolumeToAlarmMicroliters { get; init; }

    /// <summary>The pump's filtered pressure just after the alarm, mmHg.</summary>
    public double PressureAtAlarmMmHg { get; init; }

    /// <summary>The unintended bolus weighed after the release, µL.</summary>
    public double BolusMicroliters { get; init; }

    /// <summary>Its mass, g.</summary>
    public double BolusGrams { get; init; }

    /// <summary>The time series.</summary>
    public IReadOnlyList<OcclusionSample> Samples { get; init; } = Array.Empty<OcclusionSample>();
}
