using DP.Runtime.Experiments;
using DP.Runtime.Sweeps;
using Xunit;

namespace DP.Runtime.Tests.Sweeps;

public class SweepPlanTests
{
    [Fact]
    public void A_trial_gets_only_the_swept_keys_its_method_has()
    {
        // Zipped axes give every trial a value; fine-tuning has no prompt, prompt tuning no position and no pool.
        var sweep = new SweepDefinition(["method.kind", "method.position", "method.pool.size", "method.prompt_length"],
            [["finetune", "prefix", "0", "20"], ["prompt", "prefix", "0", "16"], ["dynamic", "instance", "4", "8"]]);
        var trials = SweepPlan.Trials(sweep);
        string Args(int i) => string.Join(" ", TrialConfig.TrainArguments(trials[i], [], "out", MethodKind.Prompt));
        Assert.Equal("--set method.kind=finetune --output out", Args(0));
        Assert.Equal("--set method.kind=prompt --set method.prompt_length=16 --output out", Args(1));
        Assert.Equal("--set method.kind=dynamic --set method.position=instance --set method.pool.size=4 --set method.prompt_length=8 --output out", Args(2));

        // Unswept method: the spec's.
        var seeds = SweepPlan.Trials(new SweepDefinition(["method.pool.size", "training.seed"], [["4", "1"]]));
        Assert.Equal("--set training.seed=1 --output out", string.Join(" ", TrialConfig.TrainArguments(seeds[0], [], "out", MethodKind.Prompt)));
    }

    [Fact]
    public void Folder_names_come_from_the_overrides_and_do_not_depend_on_the_index()
    {
        var sweep = new SweepDefinition(["method.kind", "training.learning_rate", "training.seed"],
            [["prompt", "0.3", "1"], ["dynamic", "1e-05", "2"]]);
        var trials = SweepPlan.Trials(sweep);
        Assert.Equal([0, 1], trials.Select(t => t.Index));
        Assert.Equal("kind-prompt_learning_rate-0.3_seed-1", trials[0].FolderName);
        Assert.Equal("kind-dynamic_learning_rate-1e-05_seed-2", trials[1].FolderName);
        Assert.Equal("method.kind=prompt training.learning_rate=0.3 training.seed=1", trials[0].OverridesText);

        // The same overrides at another index (a value added before them) keep their folder.
        var grown = SweepPlan.Trials(new SweepDefinition(sweep.Keys, [["finetune", "0.3", "1"], .. sweep.Trials]));
        Assert.Equal(trials[1].FolderName, grown[2].FolderName);
    }

    [Fact]
    public void Keys_sharing_a_last_segment_are_named_in_full()
    {
        var trials = SweepPlan.Trials(new SweepDefinition(["task.few_shot.seed", "training.seed"], [["1", "2"]]));
        Assert.Equal("task-few_shot-seed-1_training-seed-2", trials[0].FolderName);
    }

    [Fact]
    public void Unsafe_or_long_values_get_a_stable_hash_and_clashes_are_told_apart()
    {
        var trials = SweepPlan.Trials(new SweepDefinition(["backbone.source"], [["models/a b"], ["models_a_b"], [new string('x', 120)]]));
        Assert.Matches("^source-models_a_b-[0-9a-f]{8}$", trials[0].FolderName);
        Assert.Equal("source-models_a_b", trials[1].FolderName); // safe as it is
        Assert.NotEqual(trials[0].FolderName, trials[1].FolderName);
        // Names that differ only in case clash on case-insensitive filesystems: both get the hash.
        var cased = SweepPlan.Trials(new SweepDefinition(["task.template"], [["A"], ["a"]]));
        Assert.All(cased, t => Assert.Matches("^template-[Aa]-[0-9a-f]{8}$", t.FolderName));
        Assert.Equal(SweepPlan.MaxReadableLength + 9, trials[2].FolderName.Length);
        Assert.All(trials, t => Assert.Equal(-1, t.FolderName.IndexOfAny(Path.GetInvalidFileNameChars())));
        Assert.Equal(trials[0].FolderName, SweepPlan.Trials(new SweepDefinition(["backbone.source"], [["models/a b"], ["models_a_b"]]))[0].FolderName);
    }

    [Fact]
    public void A_definition_whose_rows_do_not_fit_its_keys_is_rejected()
        => Assert.Throws<ArgumentException>(() => new SweepDefinition(["a", "b"], [["1"]]));

    [Fact]
    public void Sweep_command_lines_are_parsed_and_checked()
    {
        var a = SweepArguments.Parse(["run", "--parallel", "2", "--threads", "1", "--max-steps", "5", "--set", "training.batch_size=4", "--output", "o"]);
        Assert.Equal((SweepVerb.Run, 2, 1, "o"), (a.Verb, a.Parallel, a.Threads, a.Output));
        Assert.Equal(["--max-steps", "5", "--set", "training.batch_size=4"], a.TrainArgs);
        Assert.Equal(3, SweepArguments.Parse(["run-trial", "3"]).TrialIndex);
        Assert.Equal("test", SweepArguments.Parse(["report", "--split", "test"]).Split);
        Assert.Contains("--split 'val'", Assert.Throws<ArgumentException>(() => SweepArguments.Parse(["report", "--split", "val"])).Message);
        Assert.Contains("index", Assert.Throws<ArgumentException>(() => SweepArguments.Parse(["run-trial"])).Message);
        Assert.Contains("--parallel", Assert.Throws<ArgumentException>(() => SweepArguments.Parse(["run", "--parallel", "0"])).Message);
        Assert.Contains("--resume", Assert.Throws<ArgumentException>(() => SweepArguments.Parse(["run", "--resume"])).Message);
        Assert.Contains("--max-steps", Assert.Throws<ArgumentException>(() => SweepArguments.Parse(["run", "--max-steps", "x"])).Message);
        Assert.Contains("unknown sweep command", Assert.Throws<ArgumentException>(() => SweepArguments.Parse(["go"])).Message);
    }

    [Fact]
    public void Default_resources_run_a_trial_per_core_as_memory_allows()
    {
        var none = SweepArguments.Parse(["run"]);
        Assert.Equal((2, 1), none.Resources(cores: 2, trials: 8, memoryGiB: 24));
        Assert.Equal((8, 2), none.Resources(cores: 16, trials: 8, memoryGiB: 128));
        Assert.Equal((2, 8), none.Resources(cores: 16, trials: 2, memoryGiB: 128));
        Assert.Equal((4, 4), none.Resources(cores: 16, trials: 16, memoryGiB: 8));  // 2 GiB a trial
        Assert.Equal((1, 2), none.Resources(cores: 2, trials: 8, memoryGiB: 1));
        Assert.Equal((1, 2), SweepArguments.Parse(["run", "--parallel", "1"]).Resources(cores: 2, trials: 8, memoryGiB: 24));
    }

    [Fact]
    public void Trial_state_round_trips_and_the_config_hash_ignores_threads_and_output()
    {
        var folder = Path.Combine(Path.GetTempPath(), "dp-sweep-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var state = new TrialState { Index = 2, Status = TrialStatus.Finished, ConfigSha256 = "ab", ExitCode = 0, Attempts = 1, Overrides = new() { ["training.seed"] = "2" } };
            state.Write(folder);
            Assert.Equal(state with { Overrides = state.Overrides }, TrialState.Read(folder)! with { Overrides = state.Overrides });
            Assert.Equal("2", TrialState.Read(folder)!.Overrides["training.seed"]);
            Assert.Single(Directory.GetFiles(folder)); // no temporary file left
            File.WriteAllText(Path.Combine(folder, TrialState.FileName), "{ not json");
            Assert.Contains(TrialState.FileName, Assert.Throws<InvalidDataException>(() => TrialState.Read(folder)).Message);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }

        var a = new ExperimentOptions();
        var b = TrialConfig.Clone(a);
        b.Training.Threads = 4;
        b.Output.Dir = "elsewhere";
        Assert.Equal(TrialConfig.Hash(a), TrialConfig.Hash(b));
        b.Training.Seed = 7;
        Assert.NotEqual(TrialConfig.Hash(a), TrialConfig.Hash(b));
        b.Method = new PrefixTuningOptions();
        Assert.Equal(MethodKind.Prefix, TrialConfig.Clone(b).Method.Kind);
    }
}
