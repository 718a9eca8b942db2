// Facade of nanoFramework.System.IO.Ports 1.1.139 (reference only; bodies throw null).
using System;

namespace System.IO.Ports
{
    public sealed class SerialPort : IDisposable
    {
        public SerialPort(string portName, int baudRate = 9600, Parity parity = Parity.None, int dataBits = 8, StopBits stopBits = StopBits.One) { throw null; }

        public void Open() { throw null; }

        public void Close() { throw null; }

        public bool IsOpen { get { throw null; } }

        public int ReadTimeout { get { throw null; } set { throw null; } }

        public int WriteTimeout { get { throw null; } set { throw null; } }

        public int BytesToRead { get { throw null; } }

        public int ReadBufferSize { get { throw null; } set { throw null; } }

        public int WriteBufferSize { get { throw null; } set { throw null; } }

        public int Read(byte[] buffer, int offset, int count) { throw null; }

        public void Write(byte[] buffer, int offset, int count) { throw null; }

        public void Dispose() { throw null; }
    }
}
