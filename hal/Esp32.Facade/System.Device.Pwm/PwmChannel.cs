// Facade of nanoFramework.System.Device.Pwm 1.1.23 (reference only; bodies throw null).
using System;

namespace System.Device.Pwm
{
    public sealed class PwmChannel : IDisposable
    {
        private PwmChannel() { throw null; }

        /// <summary>Hz.</summary>
        public int Frequency { get { throw null; } set { throw null; } }

        /// <summary>0.0 to 1.0.</summary>
        public double DutyCycle { get { throw null; } set { throw null; } }

        public void Start() { throw null; }

        public void Stop() { throw null; }

        public static PwmChannel CreateFromPin(int pin, int frequency = 400, double dutyCyclePercentage = 0.5) { throw null; }

        public void Dispose() { throw null; }
    }
}
