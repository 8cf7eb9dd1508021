using System.Globalization;
using System.Text.Json;
using DP.Runtime.Backbones.T5;
using DP.Runtime.Data.Examples;
using DP.Runtime.Experiments;
using DP.Runtime.Tests.T5;
using DP.Runtime.Weights.HuggingFace;
using TorchSharp;
using Xunit;

namespace DP.Runtime.Tests.Training;

[Collection(TorchRngCollection.Name)]
public class ExperimentCliTests
{
    // What generated code supplies: a switch over spec keys that rejects unknown keys and bad values.
    private static void Override(ExperimentOptions o, string key, string value)
    {
        switch (key)
        {
            case "training.learning_rate":
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var lr) || lr <= 0)
                    throw new ArgumentException($"training.learning_rate must be a positive number, got '{value}'.");
                o.Training.LearningRate = lr;
                break;
            case "training.warmup_steps":
                o.Training.WarmupSteps = int.Parse(value, CultureInfo.InvariantCulture);
                break;
            case "method.kind":
                o.Method = SpecValues.SwitchMethod(o.Method, Enum.Parse<MethodKind>(value, ignoreCase: true));
                break;
            case "method.prompt_length":
                SpecValues.MethodOf<SoftPromptOptions>(o, key).PromptLength = int.Parse(value, CultureInfo.InvariantCulture);
                break;
            case "method.position":
                SpecValues.MethodOf<DynamicPromptingOptions>(o, key).Position = SpecValues.Choice<PositionPolicy>(key, value);
                break;
            case "method.pool.size":
                SpecValues.MethodOf<DynamicPromptingOptions>(o, key).Pool.Size = SpecValues.Int(key, value);
                break;
            default:
                throw new ArgumentException($"unknown key '{key}'.");
        }
    }

    [Fact]
    public void CommandLineIsParsed()
    {
        var a = CliArguments.Parse(["eval", "--set", "training.learning_rate=0.1", "--max-steps", "7", "--output", "out", "--resume", "--data", "d", "--run", "run-002"]);
        Assert.Equal(CliVerb.Eval, a.Verb);
        Assert.Equal([("training.learning_rate", "0.1")], a.Sets);
        Assert.Equal(7, a.MaxSteps);
        Assert.Equal("out", a.Output);
        Assert.Equal("auto", a.Resume);
        Assert.Equal("d", a.Data);
        Assert.Equal("run-002", a.Run);
        Assert.Equal("ckpt", CliArguments.Parse(["--resume", "ckpt"]).Resume);
        Assert.Contains("--max-steps", Assert.Throws<ArgumentException>(() => CliArguments.Parse(["--max-steps", "zero"])).Message);
        Assert.Contains("'--bogus'", Assert.Throws<ArgumentException>(() => CliArguments.Parse(["--bogus"])).Message);
        Assert.Contains("key=value", Assert.Throws<ArgumentException>(() => CliArguments.Parse(["--set", "novalue"])).Message);
    }

    [Fact]
    public void BadOverrideIsAUsageError()
    {
        var options = new ExperimentOptions();
        Assert.Equal(ExperimentCli.Usage, ExperimentCli.Run(options, ["--set", "training.nope=1"], Override));
        Assert.Equal(ExperimentCli.Usage, ExperimentCli.Run(options, ["--set", "training.learning_rate=-1"], Override));
        var applied = new ExperimentOptions();
        CliArguments.Parse(["--set", "training.learning_rate=0.25", "--max-steps", "3"]).ApplyTo(applied, Override);
        Assert.Equal(0.25, applied.Training.LearningRate);
        Assert.Equal(3, applied.Training.MaxSteps);
    }

    [Fact]
    public void SwitchingTheMethodLeavesNoneOfTheOldMethodsSettings()
    {
        var options = DynamicWithPool();
        CliArguments.Parse(["--set", "method.kind=prompt"]).ApplyTo(options, Override);
        var prompt = Assert.IsType<PromptTuningOptions>(options.Method); // not dynamic prompting's class: no pool, Gumbel or position
        Assert.Null(options.Training.InstanceLearningRate);
        Assert.Equal(12, prompt.PromptLength); // a prompt setting, kept: prompt tuning has it too
        Assert.Equal(PromptInit.Text, prompt.Init);
        Assert.Equal("so good", prompt.InitText);
        Assert.Empty(CrossFieldRules.Problems(options));

        // And back: dynamic prompting starts from its own defaults, keeping the settings both have.
        CliArguments.Parse(["--set", "method.kind=dynamic"]).ApplyTo(options, Override);
        var dynamic = Assert.IsType<DynamicPromptingOptions>(options.Method);
        Assert.Equal((0, PositionPolicy.Instance, 0.5, 12), (dynamic.Pool.Size, dynamic.Position, dynamic.Gumbel.MinTemperature, dynamic.PromptLength));

        // The switch comes first whatever the order on the command line, so the new method's keys can precede it.
        var reordered = new ExperimentOptions { Method = new PromptTuningOptions() };
        CliArguments.Parse(["--set", "method.pool.size=3", "--set", "method.kind=dynamic"]).ApplyTo(reordered, Override);
        Assert.Equal(3, Assert.IsType<DynamicPromptingOptions>(reordered.Method).Pool.Size);
    }

    [Fact]
    public void A_key_of_another_method_than_the_runs_is_a_usage_error_naming_its_method()
    {
        var both = Assert.Throws<ArgumentException>(() =>
            CliArguments.Parse(["--set", "method.kind=prompt", "--set", "method.pool.size=4"]).ApplyTo(DynamicWithPool(), Override));
        Assert.Contains("'method.pool.size' belongs to method.kind 'dynamic', not 'prompt'", both.Message);

        // Options built in code are held to the same rule for the method keys outside the method's options.
        var code = DynamicWithPool();
        code.Method = new PromptTuningOptions();
        Assert.Contains(CrossFieldRules.Problems(code), p => p.Contains("'training.instance_learning_rate' belongs to method.kind 'dynamic'", StringComparison.Ordinal));
    }

    private static ExperimentOptions DynamicWithPool()
    {
        var options = new ExperimentOptions
        {
            Method = new DynamicPromptingOptions
            {
                Pool = { Size = 4 }, Position = PositionPolicy.Task, Length = LengthPolicy.Instance, PromptLength = 12,
                Gumbel = { MinTemperature = 0.2 }, Init = PromptInit.Text, InitText = "so good",
            },
        };
        options.Training.InstanceLearningRate = 0.1;
        return options;
    }

    [Fact]
    public void OverridesThatBreakACrossFieldRuleAreAUsageError()
    {
        // Each override alone is a valid value; together with the spec's other values they are not.
        var options = new ExperimentOptions();
        options.Training.WarmupSteps = 50;
        var warmup = Assert.Throws<ArgumentException>(() => CliArguments.Parse(["--max-steps", "10"]).ApplyTo(options, Override));
        Assert.Contains("training.warmup_steps 50 exceeds training.max_steps 10", warmup.Message);
        Assert.Equal(ExperimentCli.Usage, ExperimentCli.Run(new ExperimentOptions(), ["--set", "training.warmup_steps=500"], Override));

        var prompt = Assert.Throws<ArgumentException>(() =>
            CliArguments.Parse(["--set", "method.kind=prompt", "--set", "method.position=instance"]).ApplyTo(new ExperimentOptions(), Override));
        Assert.Contains("'method.position' belongs to method.kind 'dynamic', not 'prompt'", prompt.Message);

        // Fixing the combination in the same command line is accepted.
        var fixedUp = new ExperimentOptions();
        fixedUp.Training.WarmupSteps = 50;
        CliArguments.Parse(["--max-steps", "10", "--set", "training.warmup_steps=5"]).ApplyTo(fixedUp, Override);
        Assert.Equal(5, fixedUp.Training.WarmupSteps);
    }

    [Fact]
    public void CrossFieldRulesAcceptEveryMethodsOwnDefaults()
    {
        Assert.Empty(CrossFieldRules.Problems(new ExperimentOptions()));
        foreach (var kind in new[] { MethodKind.FineTune, MethodKind.Prompt, MethodKind.Prefix })
        {
            var o = new ExperimentOptions { Method = MethodOptions.Create(kind) };
            Assert.Empty(CrossFieldRules.Problems(o));
            o.Training.BackboneLearningRate = 1e-5;
            Assert.Equal(kind == MethodKind.FineTune ? 0 : 1, CrossFieldRules.Problems(o).Count);
        }
        var gumbel = new ExperimentOptions { Method = new DynamicPromptingOptions { Gumbel = { MinTemperature = 2 } } };
        Assert.Contains("min_temperature 2 is above", Assert.Single(CrossFieldRules.Problems(gumbel)));
    }

    [Fact]
    public void MultitaskTrainsEachTaskWithItsOwnHeadAndScoresEveryValidationSet()
    {
        // Two classes in the main task, three in the other: one shared head could not score both.
        var dir = Path.Combine(Path.GetTempPath(), "dp-cli-tests", Guid.NewGuid().ToString("N"));
        var main = Path.Combine(dir, "data");
        var other = Path.Combine(dir, "stars", "data"); // the same folder name: the other task's set name must still be its own
        Directory.CreateDirectory(main);
        Directory.CreateDirectory(other);
        string Lines(int n, int classes) => string.Join("\n", Enumerable.Range(0, n).Select(i =>
            JsonSerializer.Serialize(new { text = $"the film was {(classes == 2 ? ["awful", "superb"] : new[] { "awful", "fine", "superb" })[i % classes]}", label = $"c{i % classes}" })));
        File.WriteAllText(Path.Combine(main, "train.jsonl"), Lines(8, 2));
        File.WriteAllText(Path.Combine(main, "val.jsonl"), Lines(4, 2));
        File.WriteAllText(Path.Combine(other, "train.jsonl"), Lines(9, 3));
        File.WriteAllText(Path.Combine(other, "val.jsonl"), Lines(6, 3));
        try
        {
            var options = new ExperimentOptions { Name = "cli-multitask" };
            options.Task.Kind = DataKind.Custom;
            options.Task.Fields = ["text"];
            options.Task.MaxLength = 16;
            options.Task.Multitask = [new TaskOptions { Kind = DataKind.Custom, Fields = ["text"], MaxLength = 16, DataDir = other }];
            options.Method = new PromptTuningOptions { PromptLength = 2 };
            options.Training.BatchSize = 4;
            options.Training.EvalBatchSize = 8;
            options.Training.EvalEvery = 3;
            options.Training.Device = DeviceChoice.Cpu;
            options.Output.Plots = false;
            options.Output.TensorBoard = false;

            Assert.Equal(ExperimentCli.Ok, ExperimentCli.Run(options, ["--max-steps", "6", "--output", Path.Combine(dir, "runs"), "--data", main], Override));
            var run = Path.Combine(dir, "runs", "cli-multitask", "run-001");
            using (var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "results.json"))))
            {
                var auxiliary = results.RootElement.GetProperty("auxiliary_validation");
                var set = Assert.Single(auxiliary.EnumerateObject());
                // The main task is named after the experiment, the other after its data folder: no clash to number.
                Assert.Equal("data/validation", set.Name);
                Assert.InRange(set.Value.GetProperty("accuracy").GetDouble(), 0, 1);
            }
            // Logged at every evaluation, beside the main task's set.
            var evaluations = File.ReadAllLines(Path.Combine(run, "metrics.jsonl"))
                .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("split").GetString())
                .Where(split => split != "train").GroupBy(split => split).ToList();
            Assert.Equal(2, evaluations.Count);
            Assert.All(evaluations, e => Assert.Equal(2, e.Count())); // steps 3 and 6
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void TrainsAndEvaluatesACustomTaskWithThePackagedBackbone()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dp-cli-tests", Guid.NewGuid().ToString("N"));
        var data = Path.Combine(dir, "data");
        Directory.CreateDirectory(data);
        string[] good = ["a wonderful film", "great acting and a lovely story", "i loved it", "superb and moving"];
        string[] bad = ["a terrible film", "boring and far too long", "i hated it", "awful acting"];
        string Lines(int n) => string.Join("\n", Enumerable.Range(0, n).Select(i =>
            JsonSerializer.Serialize(new { text = i % 2 == 0 ? good[i / 2 % 4] : bad[i / 2 % 4], label = i % 2 == 0 ? "positive" : "negative" })));
        File.WriteAllText(Path.Combine(data, "train.jsonl"), Lines(16));
        File.WriteAllText(Path.Combine(data, "val.jsonl"), Lines(8));
        try
        {
            var options = new ExperimentOptions { Name = "cli-smoke" };
            options.Task.Kind = DataKind.Custom;
            options.Task.Fields = ["text"];
            options.Task.MaxLength = 16;
            options.Method = new DynamicPromptingOptions { PromptLength = 4 };
            options.Training.BatchSize = 8;
            options.Training.EvalBatchSize = 8;
            options.Training.EvalEvery = 2;
            options.Training.CheckpointEvery = 2;
            options.Training.Device = DeviceChoice.Cpu;
            options.Training.GradientCheckpointing = true; // the whole train/eval path with the backbone's layers checkpointed
            options.Output.Plots = false;
            options.Output.TensorBoard = false;

            int code = ExperimentCli.Run(options, ["--max-steps", "2", "--output", Path.Combine(dir, "runs"), "--data", data, "--set", "method.prompt_length=3"], Override);
            Assert.Equal(ExperimentCli.Ok, code);
            var experiment = Path.Combine(dir, "runs", "cli-smoke");
            var run = Path.Combine(experiment, "run-001");
            using (var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "results.json"))))
                Assert.Equal(2, results.RootElement.GetProperty("steps").GetInt64());
            using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json"))))
                Assert.Equal(3, config.RootElement.GetProperty("method").GetProperty("prompt_length").GetInt32());
            Assert.True(File.Exists(Path.Combine(run, "prompt_choices.json")));
            // A custom task is named after the experiment, not after its data folder.
            var predictions = Assert.Single(Directory.GetFiles(run, "predictions-*.jsonl"));
            Assert.Equal("predictions-cli-smoke_validation.jsonl", Path.GetFileName(predictions));
            Assert.Equal(8, File.ReadAllLines(predictions).Length);

            var evalOptions = new ExperimentOptions { Name = "cli-smoke" };
            evalOptions.Task = options.Task;
            evalOptions.Method = options.Method;
            evalOptions.Training = options.Training;
            evalOptions.Output = options.Output;
            Assert.Equal(ExperimentCli.Ok, ExperimentCli.Run(evalOptions, ["eval", "--output", Path.Combine(dir, "runs"), "--set", "method.prompt_length=3"], Override));
            using (var eval = JsonDocument.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(run, "eval-*.json")))))
                Assert.InRange(eval.RootElement.GetProperty("metrics").GetProperty("accuracy").GetDouble(), 0, 1);

            // A second train is a new run beside the first; eval takes the latest unless --run names another.
            Assert.Equal(ExperimentCli.Ok, ExperimentCli.Run(options, ["--max-steps", "2", "--output", Path.Combine(dir, "runs"), "--data", data], Override));
            var second = Path.Combine(experiment, "run-002");
            Assert.True(File.Exists(Path.Combine(second, "results.json")));
            Assert.Equal("run-002", File.ReadAllText(Path.Combine(experiment, "latest")).Trim());
            Assert.True(File.Exists(Path.Combine(run, "best", "trainable.safetensors")), "the first run keeps its best weights");
            // The name tells the truth: safetensors, an 8-byte little-endian header length and that much JSON.
            var safetensors = File.ReadAllBytes(Path.Combine(run, "best", "trainable.safetensors"));
            using (JsonDocument.Parse(System.Text.Encoding.UTF8.GetString(safetensors, 8, (int)BitConverter.ToInt64(safetensors, 0)))) { }
            Assert.Equal(ExperimentCli.Ok, ExperimentCli.Run(evalOptions, ["eval", "--output", Path.Combine(dir, "runs"), "--set", "method.prompt_length=3"], Override));
            Assert.Single(Directory.GetFiles(second, "eval-*.json"));
            Assert.Equal(ExperimentCli.Failed, ExperimentCli.Run(evalOptions, ["eval", "--output", Path.Combine(dir, "runs"), "--run", "run-009"], Override));

            // Damaged best weights are refused (exit 1), not evaluated.
            var best = Path.Combine(run, "best", "trainable.safetensors");
            var bytes = File.ReadAllBytes(best);
            bytes[^3] ^= 0x5A;
            File.WriteAllBytes(best, bytes);
            Assert.Equal(ExperimentCli.Failed, ExperimentCli.Run(evalOptions, ["eval", "--output", Path.Combine(dir, "runs"), "--run", "run-001", "--set", "method.prompt_length=3"], Override));
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// Issue 13 item 5: a label word that the tokenizer splits into several pieces was silently cut to its first
    /// piece. It is a startup error naming the label, the word and its pieces, and nothing is written.
    /// </summary>
    [Fact]
    public void LabelWordOfSeveralPiecesIsAStartupErrorNamingThem()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dp-cli-tests", Guid.NewGuid().ToString("N"));
        var model = Path.Combine(dir, "t5");
        var data = Path.Combine(dir, "data");
        Directory.CreateDirectory(data);
        var error = new StringWriter();
        var stderr = Console.Error;
        try
        {
            using (var gen = new torch.Generator(5))
            using (var t5 = new T5Model(T5TestConfigs.Tiny with { VocabSize = 300 }, gen)) HuggingFaceFolder.Save(t5, model);
            File.Copy(T5TokenizerTests.ModelPath, Path.Combine(model, "spiece.model"));
            string Lines(int n) => string.Join("\n", Enumerable.Range(0, n).Select(i =>
                JsonSerializer.Serialize(new { text = i % 2 == 0 ? "the passage" : "the question", label = i % 2 == 0 ? "yes" : "other" })));
            File.WriteAllText(Path.Combine(data, "train.jsonl"), Lines(4));
            File.WriteAllText(Path.Combine(data, "val.jsonl"), Lines(2));
            var options = new ExperimentOptions { Name = "multi-piece" };
            options.Backbone.Source = model;
            options.Task.Kind = DataKind.Custom;
            options.Task.Fields = ["text"];
            options.Task.Labels = [new LabelWord("yes", "no"), new LabelWord("other", "zebrafish")];
            options.Task.MaxLength = 16;
            options.Method = new PromptTuningOptions { PromptLength = 2 };
            options.Training.Device = DeviceChoice.Cpu;
            Console.SetError(error);
            int code = ExperimentCli.Run(options, ["--max-steps", "1", "--output", Path.Combine(dir, "runs"), "--data", data], Override);
            Console.SetError(stderr);
            var message = error.ToString();
            Assert.True(code == ExperimentCli.Failed, $"exit {code}: {message}");
            Assert.Contains("task.labels", message);
            Assert.Contains("'other'", message);
            Assert.Contains("'zebrafish'", message);
            Assert.Contains("pieces", message);
            Assert.False(Directory.Exists(Path.Combine(dir, "runs")));
        }
        finally
        {
            Console.SetError(stderr);
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// Issue 13 item 10: the masked-LM verbalizer trains through the command line on a BertForMaskedLM folder whose
    /// template has a {mask}; on a checkpoint without cls.predictions.* (a BertModel folder, the packaged MiniLM) it is
    /// a startup error that names the model and the missing weights; exit 1, nothing written.
    /// </summary>
    [Theory]
    [InlineData("folder-with-head")]
    [InlineData("folder")]
    [InlineData("minilm-l6")]
    public void TheMaskedLmVerbalizerTrainsWhereTheCheckpointHasTheHeadAndIsAStartupErrorElsewhere(string source)
    {
        var dir = Directory.CreateTempSubdirectory("dp-cli-mlm").FullName;
        var error = Console.Error;
        try
        {
            var folder = Path.Combine(dir, "bert-no-head");
            if (source.StartsWith("folder", StringComparison.Ordinal))
            {
                var config = new DP.Runtime.Backbones.Bert.BertConfig
                {
                    VocabSize = 50, HiddenSize = 16, NumHiddenLayers = 1, NumAttentionHeads = 4, IntermediateSize = 32, MaxPositionEmbeddings = 64,
                };
                var parts = source == "folder-with-head" ? DP.Runtime.Backbones.Bert.BertParts.MaskedLm : DP.Runtime.Backbones.Bert.BertParts.None;
                using (var model = new DP.Runtime.Backbones.Bert.BertModel(config, parts)) HuggingFaceFolder.Save(model, folder);
                File.WriteAllLines(Path.Combine(folder, "vocab.txt"), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "yes", "no", .. Enumerable.Range(0, 43).Select(i => "w" + i)]);
            }
            var data = Path.Combine(dir, "data");
            Directory.CreateDirectory(data);
            string Lines(int n) => string.Join("\n", Enumerable.Range(0, n).Select(i => JsonSerializer.Serialize(new { text = "w1 w2", label = i % 2 == 0 ? "a" : "b" })));
            File.WriteAllText(Path.Combine(data, "train.jsonl"), Lines(4));
            File.WriteAllText(Path.Combine(data, "val.jsonl"), Lines(2));
            var options = new ExperimentOptions { Name = "mlm-no-head" };
            options.Backbone.Source = source.StartsWith("folder", StringComparison.Ordinal) ? folder : source;
            options.Task.Kind = DataKind.Custom;
            options.Task.Fields = ["text"];
            options.Task.Template = "{text} answer: {mask}";
            options.Task.Labels = [new LabelWord("a", "yes"), new LabelWord("b", "no")];
            options.Task.MaxLength = 16;
            options.Method = new PromptTuningOptions { PromptLength = 2 };
            options.Head.Kind = HeadKind.Verbalizer;
            options.Training.Device = DeviceChoice.Cpu;

            var captured = new StringWriter();
            Console.SetError(captured);
            var code = ExperimentCli.Run(options, ["--max-steps", "1", "--output", Path.Combine(dir, "runs"), "--data", data], Override);
            Console.SetError(error);

            var message = captured.ToString();
            if (source == "folder-with-head")
            {
                Assert.True(code == ExperimentCli.Ok, $"exit {code}: {message}");
                Assert.True(Directory.Exists(Path.Combine(dir, "runs")));
                return;
            }
            Assert.True(code == ExperimentCli.Failed, $"exit {code}: {message}");
            Assert.Contains(source == "folder" ? folder : "minilm-l6", message, StringComparison.Ordinal);
            Assert.Contains("cls.predictions.transform.dense", message, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(dir, "runs")));
        }
        finally
        {
            Console.SetError(error);
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    // Issue 15 item 14: these escaped Run as unhandled exceptions (exit 134 with a stack trace).
    [Theory]
    [InlineData("roberta", "model_type 'roberta'")]
    [InlineData("misshaped", "intermediate")]
    public void ABadModelFolderFailsWithExitCodeOneAndItsMessage(string problem, string messagePart)
    {
        var dir = Directory.CreateTempSubdirectory("dp-cli-hf").FullName;
        var error = Console.Error;
        try
        {
            var folder = Path.Combine(dir, "model");
            var config = new DP.Runtime.Backbones.Bert.BertConfig
            {
                ModelType = problem == "roberta" ? "roberta" : "bert",
                VocabSize = 50, HiddenSize = 16, NumHiddenLayers = 1, NumAttentionHeads = 4, IntermediateSize = 32, MaxPositionEmbeddings = 64,
            };
            using (var model = new DP.Runtime.Backbones.Bert.BertModel(config))
                DP.Runtime.Weights.HuggingFace.HuggingFaceFolder.Save(model, folder);
            File.WriteAllLines(Path.Combine(folder, "vocab.txt"), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", .. Enumerable.Range(0, 45).Select(i => "w" + i)]);
            var configPath = Path.Combine(folder, "config.json");
            if (problem == "misshaped")
                File.WriteAllText(configPath, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(configPath), "\"intermediate_size\":\\s*32", "\"intermediate_size\": 24"));
            var options = new ExperimentOptions { Name = "bad-folder" };
            options.Backbone.Source = folder;
            options.Task.Kind = DataKind.Custom;
            options.Task.Fields = ["text"];
            options.Task.DataDir = Path.Combine(dir, "data");

            var captured = new StringWriter();
            Console.SetError(captured);
            var code = ExperimentCli.Run(options, ["--output", Path.Combine(dir, "runs")], Override);

            Assert.Equal(ExperimentCli.Failed, code);
            Assert.Contains(messagePart, captured.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", captured.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Console.SetError(error);
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    // Issue 15 item 15: a relative spec path that climbs out of the project (or of data_dir) is refused before
    // anything is read or written; the message names the key.
    [Theory]
    [InlineData("outputs.dir")]
    [InlineData("task.data_dir")]
    [InlineData("task.train_file")]
    [InlineData("task.multitask[0].validation_file")]
    public void ASpecPathClimbingOutOfTheProjectIsRefused(string key)
    {
        var escape = "../../dp-escape-" + Guid.NewGuid().ToString("N");
        var options = new ExperimentOptions { Name = "escape" };
        switch (key)
        {
            case "outputs.dir": options.Output.Dir = escape; break;
            case "task.data_dir": options.Task.DataDir = "data/" + escape; break;
            case "task.train_file": options.Task.TrainFile = escape + "/train.jsonl"; break;
            default: options.Task.Multitask = [new TaskOptions { ValidationFile = escape + "/val.jsonl" }]; break;
        }
        var error = Console.Error;
        var captured = new StringWriter();
        try
        {
            Console.SetError(captured);
            Assert.Equal(ExperimentCli.Failed, ExperimentCli.Run(options, [], Override));
        }
        finally
        {
            Console.SetError(error);
        }
        Assert.Contains(key + ":", captured.ToString(), StringComparison.Ordinal);
        Assert.Contains("'..'", captured.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void SpecPathsInsideTheProjectAbsoluteOnesAndCommandLineOnesAreAccepted()
    {
        var project = Path.Combine(Path.GetTempPath(), "dp-paths", "project");
        var options = new ExperimentOptions { Name = "inside" };
        options.Output.Dir = "./runs/../runs2";
        options.Task.DataDir = Path.Combine(Path.GetTempPath(), "elsewhere", "data"); // absolute: explicitly chosen
        options.Task.TrainFile = "sub/../train.jsonl";
        options.Task.TestFile = "";
        SpecPaths.Check(options, project);

        options.Task.ValidationFile = "../val.jsonl"; // out of data_dir, absolute or not
        var e = Assert.Throws<ArgumentException>(() => SpecPaths.Check(options, project));
        Assert.Contains("task.validation_file", e.Message, StringComparison.Ordinal);
    }
}
