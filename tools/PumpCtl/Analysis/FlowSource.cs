// Which column the analysis measures flow from.
namespace PumpCtl.Analysis;

/// <summary>Where the volume comes from.</summary>
public enum FlowSource
{
    /// <summary><c>delivered_ul</c>: what the pump says it commanded (tests the firmware's timing).</summary>
    Volume,

    /// <summary><c>mass_g</c> / density: what a balance weighed (tests the whole pump, IEC 60601-2-24's way).</summary>
    Mass,
}
