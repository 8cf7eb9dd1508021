using TorchSharp.Modules;
using static TorchSharp.torch.utils.tensorboard;

namespace DP.Runtime.Reporting;

/// <summary>TensorBoard event files through TorchSharp's SummaryWriter (tags like train/loss, validation/accuracy).</summary>
public sealed class TensorBoardLog
{
    private readonly SummaryWriter writer;

    public TensorBoardLog(string directory)
    {
        Directory.CreateDirectory(directory);
        writer = SummaryWriter(directory, createRunName: false);
    }

    public string LogDirectory => writer.LogDir;

    public void Write(MetricsRecord record)
    {
        // SummaryWriter otherwise stamps DateTime ticks; TensorBoard expects Unix seconds.
        long wall = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        foreach (var (k, v) in record.Values)
            if (double.IsFinite(v)) writer.add_scalar($"{record.Split}/{k}", (float)v, checked((int)record.Step), wall);
    }
}
