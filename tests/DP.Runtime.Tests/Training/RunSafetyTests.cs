using DP.Runtime.Training.Checkpoints;
using Xunit;

namespace DP.Runtime.Tests.Training;

/// <summary>Issue 15: a run is never lost, a damaged one is never used, a failed resume leaves no trace.</summary>
[Collection(TorchRngCollection.Name)]
public class RunSafetyTests
{
    [Fact]
    public void FreshTrainNeverDeletesAnEarlierRun()
    {
        using var h = new TrainingHarness();
        var o = TrainingHarness.Options(h.Dir, t => t.MaxSteps = 20);
        var (first, m1) = h.Run(o);
        m1.Dispose();
        var firstBest = Path.Combine(first.RunFolder, "best", "trainable.safetensors");
        var bestBytes = File.ReadAllBytes(firstBest);
        var firstCheckpoint = first.LastCheckpoint!;

        // Forgetting --resume: another fresh run of the same experiment, with other settings.
        var again = TrainingHarness.Options(h.Dir, t => { t.MaxSteps = 10; t.LearningRate = 0.2; });
        var (second, m2) = h.Run(again);
        m2.Dispose();

        Assert.NotEqual(first.RunFolder, second.RunFolder);
        Assert.Equal(bestBytes, File.ReadAllBytes(firstBest));
        Assert.True(File.Exists(Path.Combine(firstCheckpoint, CheckpointStore.StateFile)), "the first run's checkpoint is kept");
        Assert.Equal(20, File.ReadAllLines(Path.Combine(first.RunFolder, "metrics.jsonl")).Count(l => l.Contains("\"split\":\"train\"")));
    }

    [Fact]
    public void BestWeightsOfRunsFromBeforeTheSafetensorsNameStillLoad()
    {
        using var h = new TrainingHarness();
        var o = TrainingHarness.Options(h.Dir, t => t.MaxSteps = 10);
        var (first, trained) = h.Run(o);
        trained.Dispose();
        var run = TrainingHarness.Latest(o);
        Assert.True(File.Exists(run.BestTrainablePath));
        using var current = TrainingHarness.Model(seed: 99);
        var untrained = TrainingHarness.Weights(current);
        BestWeights.Load(run, current);

        File.Move(run.BestTrainablePath, run.LegacyBestTrainablePath);
        using var legacy = TrainingHarness.Model(seed: 99);
        BestWeights.Load(run, legacy);
        Assert.Equal(TrainingHarness.Weights(current), TrainingHarness.Weights(legacy));
        Assert.NotEqual(untrained, TrainingHarness.Weights(legacy));
        Assert.Equal(first.RunFolder, run.Root);
    }

    [Fact]
    public void FailedResumeWritesNothing()
    {
        using var h = new TrainingHarness();
        var o = TrainingHarness.Options(h.Dir, t => { t.MaxSteps = 10; t.CheckpointEvery = 10; });
        var (result, model) = h.Run(o);
        model.Dispose();
        var weights = Path.Combine(result.LastCheckpoint!, CheckpointStore.TrainableFile);
        var bytes = File.ReadAllBytes(weights);
        bytes[^3] ^= 0x5A;
        File.WriteAllBytes(weights, bytes);
        var before = Snapshot(h.Dir);

        Assert.Throws<CheckpointException>(() => h.Run(o, resume: "auto"));
        Assert.Equal(before, Snapshot(h.Dir));
    }

    [Fact]
    public void StartingARunCleansLeftoverTemporaryCheckpointFoldersOnly()
    {
        using var h = new TrainingHarness();
        var o = TrainingHarness.Options(h.Dir, t => { t.MaxSteps = 20; t.CheckpointEvery = 10; });
        using var cts = new CancellationTokenSource();
        var (stopped, model) = h.Run(o, observer: new CancelAtStep(15, cts), token: cts.Token);
        model.Dispose();
        var checkpoints = Path.GetDirectoryName(stopped.LastCheckpoint)!;
        // What a SIGKILL during a checkpoint write leaves: a temporary folder of a process that no longer exists.
        var leftover = Path.Combine(checkpoints, $".tmp-{CheckpointStore.FolderName(20)}-{int.MaxValue}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(leftover);
        File.WriteAllBytes(Path.Combine(leftover, CheckpointStore.TrainableFile), new byte[1024]);

        var (resumed, again) = h.Run(o, resume: "auto");
        again.Dispose();
        Assert.Equal(20, resumed.Steps);
        Assert.False(Directory.Exists(leftover), "the interrupted write's temporary folder is removed");
        Assert.True(File.Exists(Path.Combine(checkpoints, CheckpointStore.FolderName(20), CheckpointStore.StateFile)));
        Assert.True(File.Exists(Path.Combine(checkpoints, CheckpointStore.FolderName(15), CheckpointStore.StateFile)), "completed checkpoints are kept");
    }

    [Fact]
    public void FlippedByteInTheBestWeightsIsAClearError()
    {
        using var h = new TrainingHarness();
        // Too small a learning rate to improve after step 5: the best weights stay those of step 5.
        var o = TrainingHarness.Options(h.Dir, t => { t.MaxSteps = 20; t.EvalEvery = 5; t.CheckpointEvery = 10; t.LearningRate = 1e-12; });
        using var cts = new CancellationTokenSource();
        var (stopped, model) = h.Run(o, observer: new CancelAtStep(12, cts), token: cts.Token);
        model.Dispose();
        var best = Path.Combine(stopped.RunFolder, "best", "trainable.safetensors");
        var bytes = File.ReadAllBytes(best);
        bytes[^3] ^= 0x5A;
        File.WriteAllBytes(best, bytes);

        // The resumed run ends by restoring the best weights: it must not use damaged ones.
        var e = Assert.Throws<CheckpointException>(() => h.Run(o, resume: "auto"));
        Assert.Contains(best, e.Message);
        Assert.Contains("corrupt", e.Message);
    }

    [Fact]
    public void ConcurrentRunsNeverShareARunFolder()
    {
        var root = Path.Combine(Path.GetTempPath(), "dp-trainer-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var runs = new System.Collections.Concurrent.ConcurrentBag<string>();
            Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 8 },
                _ => runs.Add(new DP.Runtime.Reporting.ExperimentFolder(root).CreateRun().Root));
            Assert.Equal(16, runs.Distinct().Count());
            var latest = new DP.Runtime.Reporting.ExperimentFolder(root).LatestRun()!.Root;
            Assert.Contains(latest, runs);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Every file under a folder with its length, write time and content hash.</summary>
    private static List<string> Snapshot(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{f} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f).Ticks} " +
                         Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))))
            .ToList();
}
