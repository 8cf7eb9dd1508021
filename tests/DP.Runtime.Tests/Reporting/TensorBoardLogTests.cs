using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using DP.Runtime.Reporting;
using Tensorboard;
using Xunit;

namespace DP.Runtime.Tests.Reporting;

public class TensorBoardLogTests
{
    [Fact]
    public void EventFileUsesUnixSecondsAsTensorBoardDoes()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dp-tb-" + Guid.NewGuid().ToString("N"));
        try
        {
            double before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
            var log = new TensorBoardLog(dir);
            log.Write(new MetricsRecord(1, "train", new Dictionary<string, double> { ["loss"] = 0.5 }));
            Thread.Sleep(30);
            log.Write(new MetricsRecord(2, "train", new Dictionary<string, double> { ["loss"] = 0.25 }));
            double after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

            var file = Assert.Single(Directory.GetFiles(dir));
            // TensorBoard's name: events.out.tfevents.<unix seconds>.<host>[...]
            var m = Regex.Match(Path.GetFileName(file), @"^events\.out\.tfevents\.(\d+)\.");
            Assert.True(m.Success, Path.GetFileName(file));
            long nameSeconds = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.InRange(nameSeconds, (long)before, (long)after + 1);

            var events = ReadEvents(file);
            Assert.Equal("brain.Event:2", events[0].FileVersion);
            Assert.InRange(events[0].WallTime, before - 0.01, after + 0.01);
            var scalars = events.Skip(1).ToList();
            Assert.Equal([1L, 2L], scalars.Select(e => e.Step));
            Assert.Equal("train/loss", scalars[0].Summary.Value[0].Tag);
            Assert.Equal(0.25f, scalars[1].Summary.Value[0].SimpleValue);
            foreach (var e in scalars) Assert.InRange(e.WallTime, before - 0.01, after + 0.01);
            // Float seconds, not whole (or float32-rounded) seconds: the 30 ms between the writes shows.
            Assert.InRange(scalars[1].WallTime - scalars[0].WallTime, 0.02, after - before + 0.01);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void RecordChecksumIsMaskedCrc32C()
    {
        // CRC-32C's check value for "123456789" is 0xE3069283.
        const uint crc = 0xE3069283u;
        Assert.Equal(((crc >> 15) | (crc << 17)) + 0xa282ead8u, TensorBoardLog.MaskedCrc("123456789"u8));
    }

    // TFRecord framing: u64 length, u32 masked CRC of the length, the bytes, u32 masked CRC of the bytes.
    internal static List<Event> ReadEvents(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var events = new List<Event>();
        for (int at = 0; at < bytes.Length;)
        {
            long length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at));
            Assert.Equal(TensorBoardLog.MaskedCrc(bytes.AsSpan(at, 8)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8)));
            Assert.Equal(TensorBoardLog.MaskedCrc(bytes.AsSpan(at + 12, (int)length)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + (int)length)));
            events.Add(Event.Parser.ParseFrom(bytes, at + 12, (int)length));
            at += 12 + (int)length + 4;
        }
        return events;
    }
}
