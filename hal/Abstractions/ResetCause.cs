namespace PumpFirmware.Hal
{
    /// <summary>Why the device last started; reported in the !BOOT line.</summary>
    public enum ResetCause
    {
        /// <summary>Power applied (or the virtual device started on its state folder).</summary>
        Power = 0,
        /// <summary>The watchdog fired.</summary>
        Watchdog = 1,
        /// <summary>Software asked for a restart.</summary>
        Software = 2,
    }
}
