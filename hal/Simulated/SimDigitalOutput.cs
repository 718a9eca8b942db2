namespace PumpFirmware.Hal.Simulated;

/// <summary>An output that remembers its level and how often it changed.</summary>
public sealed class SimDigitalOutput : IDigitalOutput
{
    /// <summary>The level last written.</summary>
    public bool IsActive { get; private set; }

    /// <summary>Number of changes of level since construction.</summary>
    public long Transitions { get; private set; }

    /// <inheritdoc/>
    public void Write(bool active)
    {
        if (active != IsActive) Transitions++;
        IsActive = active;
    }
}
