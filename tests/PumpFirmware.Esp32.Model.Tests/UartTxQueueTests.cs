using PumpFirmware.Hal.Esp32.Logic;
using Xunit;

namespace PumpFirmware.Esp32.Model.Tests;

/// <summary>The UART link's transmit queue: whole writes or none, and never more than the FIFO
/// can take at once by its (pessimistic) estimate.</summary>
public class UartTxQueueTests
{
    [Fact]
    public void A_write_that_does_not_fit_is_refused_whole_and_counted()
    {
        var queue = new UartTxQueue(100, 115200);
        Assert.True(queue.Enqueue(new byte[60], 0, 60));
        Assert.False(queue.Enqueue(new byte[50], 0, 50));
        Assert.Equal(60, queue.Count);
        Assert.Equal(50, queue.DroppedBytes);
    }

    [Fact]
    public void Chunks_never_exceed_the_usable_FIFO_and_refill_as_it_drains_at_no_more_than_the_line_rate()
    {
        var queue = new UartTxQueue(4096, 115200);
        var data = new byte[1000];
        for (int i = 0; i < data.Length; i++) data[i] = (byte)i;
        Assert.True(queue.Enqueue(data, 0, data.Length));
        var chunk = new byte[UartTxQueue.FifoBytes];
        Assert.Equal(UartTxQueue.UsableFifoBytes, queue.TakeChunk(chunk, chunk.Length, 0));
        Assert.Equal(0, chunk[0]);
        Assert.Equal(0, queue.TakeChunk(chunk, chunk.Length, 0));
        // 10 ms at 115200 baud is 115 bytes on the wire; the estimate frees fewer (10 % margin).
        int freed = queue.TakeChunk(chunk, chunk.Length, 10_000);
        Assert.InRange(freed, 90, 105);
        Assert.Equal(UartTxQueue.UsableFifoBytes, chunk[0]);
        Assert.Equal(1000 - UartTxQueue.UsableFifoBytes - freed, queue.Count);
    }
}
