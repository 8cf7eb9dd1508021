using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using Google.Protobuf;
using Tensorboard;

namespace DP.Runtime.Reporting;

/// <summary>
/// A TensorBoard event file of scalars (tags like train/loss, validation/accuracy), written the way TensorBoard's
/// own writers do: the file is named <c>events.out.tfevents.&lt;Unix seconds&gt;.&lt;host&gt;.&lt;pid&gt;</c> and
/// every event's wall time is Unix seconds as a double. Written here rather than through TorchSharp's
/// SummaryWriter, which stamps .NET ticks and passes scalar times as float32 (whole minutes at today's dates);
/// the event messages are TorchSharp's compiled TensorBoard protobufs.
/// </summary>
public sealed class TensorBoardLog
{
    private readonly string path;

    public TensorBoardLog(string directory)
    {
        Directory.CreateDirectory(directory);
        LogDirectory = directory;
        double now = UnixSeconds();
        path = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture,
            $"events.out.tfevents.{(long)now}.{Environment.MachineName}.{Environment.ProcessId}"));
        Append(new Event { WallTime = now, FileVersion = "brain.Event:2" });
    }

    public string LogDirectory { get; }

    public void Write(MetricsRecord record)
    {
        double wall = UnixSeconds();
        foreach (var (k, v) in record.Values)
        {
            if (!double.IsFinite(v)) continue;
            var summary = new Summary();
            summary.Value.Add(new Summary.Types.Value { Tag = $"{record.Split}/{k}", SimpleValue = (float)v });
            Append(new Event { WallTime = wall, Step = record.Step, Summary = summary });
        }
    }

    private static double UnixSeconds() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;

    // One TFRecord: u64 length, masked CRC-32C of the length, the message, masked CRC-32C of the message.
    private void Append(Event e)
    {
        var data = e.ToByteArray();
        var record = new byte[12 + data.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(record, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), MaskedCrc(record.AsSpan(0, 8)));
        data.CopyTo(record, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12 + data.Length), MaskedCrc(data));
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        stream.Write(record);
    }

    /// <summary>TFRecord's checksum: CRC-32C, rotated right by 15 bits plus a constant.</summary>
    public static uint MaskedCrc(ReadOnlySpan<byte> bytes)
    {
        uint crc = ~0u;
        foreach (var b in bytes) crc = BitOperations.Crc32C(crc, b);
        crc = ~crc;
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }
}
