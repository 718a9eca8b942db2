// Facade of nanoFramework.Hardware.Esp32 1.6.40 (reference only; bodies throw null).
using System;

namespace nanoFramework.Hardware.Esp32
{
    public delegate void HighResTimerExpiredEventHandler(HighResTimer sender, object e);

    public class HighResTimer : IDisposable
    {
        public HighResTimer() { throw null; }

        public event HighResTimerExpiredEventHandler OnHighResTimerExpired { add { throw null; } remove { throw null; } }

        /// <summary>µs since boot.</summary>
        public static ulong GetCurrent() { throw null; }

        public void Stop() { throw null; }

        public void StartOneShot(ulong timeout_us) { throw null; }

        public void StartOnePeriodic(ulong period_us) { throw null; }

        public void Dispose() { throw null; }
    }
}
