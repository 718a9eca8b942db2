namespace PumpFirmware.Hal.Esp32.Logic
{
    /// <summary>What the buzzer announces: the highest-priority unacknowledged alarm.</summary>
    public enum AlarmPriority
    {
        /// <summary>Silent.</summary>
        None = 0,
        /// <summary>An alarm that does not stop delivery (LOW_RESERVOIR, LOW_BATTERY, DOSE_LIMIT).</summary>
        Low = 1,
        /// <summary>An alarm that stops delivery (EMPTY, STALL, OCCLUSION, CRITICAL).</summary>
        High = 2,
    }
}
