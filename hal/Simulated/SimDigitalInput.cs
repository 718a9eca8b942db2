namespace PumpFirmware.Hal.Simulated;

/// <summary>An input the simulation sets directly (occlusion sensor, battery comparator, driver fault).</summary>
public sealed class SimDigitalInput : IDigitalInput
{
    /// <inheritdoc/>
    public bool IsAsserted { get; set; }
}
