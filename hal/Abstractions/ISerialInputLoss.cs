// A UART without flow control loses received bytes when its receive buffer is full, and
// nanoFramework's SerialPort does not say so. What a link can see is that its buffer reached
// capacity: bytes that arrived after that point may be gone. A link that can tell this
// implements this capability beside ISerialLink, so that the firmware answers the torn line
// ERR 400 input overrun instead of splicing its halves into one request (PROTOCOL.md framing).
namespace PumpFirmware.Hal
{
    /// <summary>Optional capability of an <see cref="ISerialLink"/>: where received bytes may have been lost.</summary>
    public interface ISerialInputLoss
    {
        /// <summary>True when bytes may have been lost right after the last byte the latest
        /// <see cref="ISerialLink.Read"/> returned (that read ended at the gap). Valid until the next Read.</summary>
        bool InputLostAfterLastRead { get; }
    }
}
