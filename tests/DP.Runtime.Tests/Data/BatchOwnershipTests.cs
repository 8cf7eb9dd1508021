using DP.Runtime.Data.Loading;
using DP.Runtime.Experiments;
using TorchSharp;
using Xunit;

namespace DP.Runtime.Tests.Data;

public class BatchOwnershipTests
{
    static TaskData Load(TempDir dir)
    {
        dir.Write("train.jsonl", DataFixtures.RteLines(12));
        dir.Write("val.jsonl", DataFixtures.RteLines(6));
        return TaskDataLoader.Load(new TaskOptions { DataDir = dir.Path }, new TestTokenizer(), 4, 4, 1);
    }

    [Fact]
    public void Batches_read_inside_a_dispose_scope_outlive_it()
    {
        using var dir = new TempDir();
        var data = Load(dir);
        var train = data.Train.EpochBatches(0);
        using (torch.NewDisposeScope())
        {
            _ = train[0];
            foreach (var _ in data.Validation.Batches) { }
        }
        // The source owns its batches: a trainer's step scope must not free them.
        Assert.Same(train[0], train[0]);
        Assert.False(train[0].InputIds.IsInvalid);
        Assert.All(data.Validation.Batches, b => Assert.False(b.InputIds.IsInvalid));
    }

    [Fact]
    public void Only_the_two_latest_epochs_keep_their_tensors()
    {
        using var dir = new TempDir();
        var data = Load(dir);
        var e0 = data.Train.EpochBatches(0);
        var first = e0[0];
        var e1 = data.Train.EpochBatches(1);
        Assert.False(first.InputIds.IsInvalid); // epoch 0 still usable while epoch 1 starts
        var e2 = data.Train.EpochBatches(2);
        Assert.True(first.InputIds.IsInvalid);   // freed without waiting for the GC
        Assert.Throws<ObjectDisposedException>(() => e0[1]);
        Assert.False(e1[0].InputIds.IsInvalid);
        Assert.False(e2[0].InputIds.IsInvalid);
    }
}
