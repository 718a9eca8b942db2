// Why persistent state changed, as bits, so that a journal can write a command's change at
// once but batch step-only changes (delivered volume) up to its 1 µL bound.
namespace PumpFirmware.App
{
    /// <summary>Bits passed to <see cref="IPersistenceHook.OnStateChanged"/>.</summary>
    public static class PersistReasons
    {
        /// <summary>A command changed the therapy, program, calibration, time, PIN or lock.</summary>
        public const int Command = 1;

        /// <summary>Steps were issued (counters, reservoir, 24 h window moved).</summary>
        public const int Steps = 2;

        /// <summary>Log records were appended (see <see cref="PumpApplication.Log"/>.NextSeq).</summary>
        public const int Log = 4;

        /// <summary>The therapy changed by itself (alarm, state, bolus end, DOSE_LIMIT timer).</summary>
        public const int Therapy = 8;

        /// <summary>The application booted (the boot record and reset effects).</summary>
        public const int Boot = 16;
    }
}
