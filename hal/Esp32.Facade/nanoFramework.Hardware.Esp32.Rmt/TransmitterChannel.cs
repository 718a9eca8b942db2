// Facade of nanoFramework.Hardware.Esp32.Rmt 2.0.51 (reference only; bodies throw null).
using System;

namespace nanoFramework.Hardware.Esp32.Rmt
{
    public class TransmitterChannel : RmtChannel, IDisposable
    {
        public TransmitterChannel(TransmitChannelSettings settings) : base(settings) { throw null; }

        public override ChannelMode Mode { get { throw null; } }

        public bool IsChannelIdle { get { throw null; } }

        /// <summary>Sends raw rmt_item32_t words (4 bytes each, little-endian).</summary>
        public void SendData(byte[] data, bool waitTxDone) { throw null; }

        public void Dispose() { throw null; }

        protected virtual void Dispose(bool disposing) { throw null; }
    }
}
