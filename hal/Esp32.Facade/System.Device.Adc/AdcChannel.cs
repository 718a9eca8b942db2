// Facade of nanoFramework.System.Device.Adc 1.1.24 (reference only; bodies throw null).
using System;

namespace System.Device.Adc
{
    public class AdcChannel : IDisposable
    {
        internal AdcChannel() { throw null; }

        /// <summary>The raw conversion, MinValue..MaxValue (not millivolts).</summary>
        public int ReadValue() { throw null; }

        public AdcController Controller { get { throw null; } }

        public void Dispose() { throw null; }
    }
}
