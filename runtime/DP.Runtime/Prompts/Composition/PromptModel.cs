using DP.Runtime.Backbones;
using DP.Runtime.Data.Batching;
using DP.Runtime.Experiments;
using DP.Runtime.Models;
using DP.Runtime.Prompts.Assembly;
using DP.Runtime.Prompts.Checkpoints;
using DP.Runtime.Prompts.Choices;
using DP.Runtime.Prompts.Deep;
using DP.Runtime.Prompts.Gumbel;
using DP.Runtime.Prompts.Heads;
using DP.Runtime.Prompts.Instance;
using DP.Runtime.Prompts.Sources;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Prompts.Composition;

/// <summary>The parts one prompt method is made of; absent parts are null. Built by <see cref="PromptModelFactory"/>.</summary>
public sealed record PromptModelParts(
    MethodKind Method,
    IPromptableBackbone Backbone,
    IScoreHead Head,
    bool MultipleChoice,
    IPromptSource? Source = null,
    PromptAssembler? Assembler = null,
    DeepPromptEncoder? Deep = null,
    PositionPolicy Position = PositionPolicy.Prefix,
    ChoiceLogits? PositionLogits = null,
    LengthPolicy Length = LengthPolicy.Fixed,
    ChoiceLogits? LengthLogits = null,
    InstanceRepresentationCache? Instances = null,
    GumbelOptions? Gumbel = null,
    long Seed = 0,
    IReadOnlyList<TaskHead>? OtherTasks = null,
    PromptInit Init = PromptInit.Random,
    string? InitText = null);

/// <summary>
/// Every prompt method as one <see cref="ITrainableModel"/>: fine-tuning (no prompt, backbone trainable), prompt
/// tuning, P-tuning v2 (deep prompts) and dynamic prompting (learned position / length / instance pool). Input-level
/// prompts go through the one <see cref="PromptAssembler"/>. State-dict prefixes: backbone., prompt., deep_prompt.,
/// position., length., head. (the main task) and head_task1., head_task2., … (the other tasks of a multitask run:
/// each batch holds one task, named by the high bits of its example keys, and is scored by that task's head).
/// </summary>
public sealed class PromptModel : nn.Module, ITrainableModel, IPromptChoiceReporter, IRandomStateOwner
{
    public const string TemperatureKey = "gumbel_temperature";

    private readonly PromptModelParts _parts;
    private readonly HardGumbelSoftmax _gumbel;
    private readonly GumbelTemperature? _temperature;
    private readonly Dictionary<string, double> _extra = [];
    private readonly List<ParameterGroup> _groups;
    private readonly List<TaskHead> _heads;

    public PromptModel(PromptModelParts parts) : base("prompt_model")
    {
        _parts = parts;
        register_module("backbone", parts.Backbone.Module);
        if (parts.Source is nn.Module source) register_module("prompt", source);
        if (parts.Deep is not null) register_module("deep_prompt", parts.Deep);
        if (parts.PositionLogits is not null) register_module("position", parts.PositionLogits);
        if (parts.LengthLogits is not null) register_module("length", parts.LengthLogits);
        register_module("head", parts.Head.Module);
        _heads = [new TaskHead(parts.Head, parts.MultipleChoice), .. parts.OtherTasks ?? []];
        for (int task = 1; task < _heads.Count; task++) register_module($"head_task{task}", _heads[task].Head.Module);
        _gumbel = new HardGumbelSoftmax(parts.Seed);
        if (parts.PositionLogits is not null || parts.LengthLogits is not null)
        {
            _temperature = new GumbelTemperature(parts.Gumbel ?? new GumbelOptions());
            _extra[TemperatureKey] = _temperature.Value;
        }
        _groups = BuildGroups();
    }

    public MethodKind Method => _parts.Method;
    public IPromptableBackbone Backbone => _parts.Backbone;
    public IPromptSource? Source => _parts.Source;
    public PromptAssembler? Assembler => _parts.Assembler;
    public InstanceRepresentationCache? Instances => _parts.Instances;
    public int PromptLength => _parts.Source?.Length ?? _parts.Deep?.Length ?? 0;
    bool IPromptChoiceReporter.ChoosesSplit => _parts.PositionLogits is not null;
    bool IPromptChoiceReporter.ChoosesLength => _parts.LengthLogits is not null;
    int IPromptChoiceReporter.MaxChoice => PromptLength;
    public nn.Module Module => this;
    public IReadOnlyList<ParameterGroup> ParameterGroups => _groups;
    public IDictionary<string, double> ExtraState => _extra;

    /// <summary>The current Gumbel temperature (null when the method makes no discrete choice).</summary>
    public double? Temperature => _temperature is null ? null : _extra[TemperatureKey];

    private bool NeedsInstance =>
        (_parts.Source?.NeedsInstance ?? false) || (_parts.PositionLogits?.NeedsInstance ?? false) || (_parts.LengthLogits?.NeedsInstance ?? false);

    public Tensor Scores(ModelBatch batch)
    {
        using var scope = NewDisposeScope();
        var rows = RowScores(batch);
        var scores = HeadFor(batch).MultipleChoice
            ? ChoiceGrouping.Group(rows.squeeze(-1), batch.ChoiceCounts ?? throw new ArgumentException("A multiple-choice model needs ModelBatch.ChoiceCounts."))
            : rows;
        return scores.MoveToOuterDisposeScope();
    }

    public Tensor Loss(ModelBatch batch)
    {
        using var scope = NewDisposeScope();
        var loss = nn.functional.cross_entropy(Scores(batch), batch.Labels.to(ScalarType.Int64));
        return loss.MoveToOuterDisposeScope();
    }

    // The Gumbel noise and dropout generators travel in training checkpoints (resumed runs draw the same noise and masks).
    IReadOnlyDictionary<string, Tensor> IRandomStateOwner.SaveRandomState() =>
        _gumbel.SaveState().Select(kv => ("gumbel/" + kv.Key, kv.Value))
            .Concat(_parts.Backbone.Dropout.Generators.SaveState().Select(kv => ("dropout/" + kv.Key, kv.Value)))
            .ToDictionary(kv => kv.Item1, kv => kv.Item2);

    void IRandomStateOwner.LoadRandomState(IReadOnlyDictionary<string, Tensor> states)
    {
        _gumbel.LoadState(Streams(states, "gumbel/"));
        _parts.Backbone.Dropout.Generators.LoadState(Streams(states, "dropout/"));
    }

    private static Dictionary<string, Tensor> Streams(IReadOnlyDictionary<string, Tensor> states, string prefix) =>
        states.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);

    public void OnOptimizerStep(long step)
    {
        if (_temperature is null) return;
        _temperature.Value = _extra[TemperatureKey]; // the trainer may have restored it from a checkpoint
        _temperature.Step(step);
        _extra[TemperatureKey] = _temperature.Value;
    }

    /// <summary>The prompted backbone input for a batch (exposed for tests and diagnostics).</summary>
    public BackboneInput BuildInput(ModelBatch batch) => Prepare(batch).Input;

    /// <summary>The backbone input and, for a head that reads a mask token, where each row's mask ended up in it.</summary>
    private (BackboneInput Input, Tensor? MaskPositions) Prepare(ModelBatch batch)
    {
        long b = batch.InputIds.shape[0];
        var head = HeadFor(batch).Head;
        var tokens = _parts.Backbone.EmbedTokens(batch.InputIds);
        var decoderIds = head.DecoderInputIds(b, tokens.device);
        var isMask = head.MaskTokenId is int maskId ? OneMaskPerRow(batch, maskId) : null;
        if (_parts.Deep is { } deep)
            return (new BackboneInput(tokens, batch.AttentionMask, TokenTypeIds: batch.TokenTypeIds, DeepPrompt: deep.Build(b, _parts.Backbone.Dropout, _parts.Backbone.HiddenDropoutRate), DecoderInputIds: decoderIds),
                isMask?.argmax(1));
        if (_parts.Source is not { } source || _parts.Assembler is not { } assembler)
            return (new BackboneInput(tokens, batch.AttentionMask, TokenTypeIds: batch.TokenTypeIds, DecoderInputIds: decoderIds), isMask?.argmax(1));

        var u = NeedsInstance ? Representation(batch) : null;
        var prompt = source.Rows(b, u);
        Tensor? keep = _parts.LengthLogits is { } lengthLogits ? KeepMask.FromLengthChoice(Choose(lengthLogits, b, u)) : null;
        PromptSplit split = _parts.Position switch
        {
            PositionPolicy.Prefix => new PromptSplit.Fixed(0),
            PositionPolicy.Postfix => new PromptSplit.Fixed(source.Length),
            _ => new PromptSplit.OneHot(Choose(_parts.PositionLogits!, b, u)),
        };
        var assembled = assembler.Assemble(tokens, batch.AttentionMask, batch.TokenTypeIds, prompt, split, keep);
        // The prompt rows shift the mask: follow it through the same arrangement (prompt rows are never the mask).
        var maskPositions = isMask is null ? null
            : torch.cat([isMask, torch.zeros(b, source.Length, dtype: isMask.dtype, device: isMask.device)], dim: 1).gather(1, assembled.SourceIndex).argmax(1);
        return (new BackboneInput(assembled.InputsEmbeds, assembled.AttentionMask, TokenTypeIds: assembled.TokenTypeIds, DecoderInputIds: decoderIds), maskPositions);
    }

    /// <summary>
    /// 1 where a row holds the mask token [B, L] (int64, on the batch's device); a row without exactly one is an error,
    /// found on the batch's host copy (no device→host synchronisation per step).
    /// </summary>
    private static Tensor OneMaskPerRow(ModelBatch batch, int maskId)
    {
        var counts = batch.OnHost.InputIds.eq(maskId).to(ScalarType.Int64).sum(1);
        if (!counts.eq(1).all().item<bool>())
        {
            var bad = counts.cpu().data<long>().Select((c, r) => (c, r)).First(x => x.c != 1);
            throw new ArgumentException(
                $"The masked-LM verbalizer reads the label word at the mask token ({{mask}} in task.template), but row {bad.r} of a batch holds {bad.c}; " +
                "the template needs exactly one {mask}, and it must survive truncation to task.max_length.");
        }
        return batch.InputIds.eq(maskId).to(ScalarType.Int64);
    }

    /// <summary>Scores per row [rows, C] before multiple-choice grouping.</summary>
    public Tensor RowScores(ModelBatch batch)
    {
        using var scope = NewDisposeScope();
        var (input, maskPositions) = Prepare(batch);
        var output = _parts.Backbone.Forward(input);
        return HeadFor(batch).Head.Scores(output, new HeadInput(input.AttentionMask, maskPositions)).MoveToOuterDisposeScope();
    }

    /// <summary>The head of the batch's task; a single-task model ignores the keys.</summary>
    private TaskHead HeadFor(ModelBatch batch)
    {
        if (_heads.Count == 1) return _heads[0];
        int task = EncodedExample.TaskIdOf(batch.ExampleKeys[0]);
        if (batch.ExampleKeys.Any(k => EncodedExample.TaskIdOf(k) != task))
            throw new ArgumentException("A multitask batch must hold the examples of one task (its example keys name several).");
        if (task < 0 || task >= _heads.Count)
            throw new ArgumentException($"The batch's examples belong to task {task}, but the model has heads for tasks 0..{_heads.Count - 1}.");
        return _heads[task];
    }

    /// <summary>u [B, d] for the batch (cached per example for a frozen backbone).</summary>
    public Tensor Representation(ModelBatch batch) =>
        (_parts.Instances ?? throw new InvalidOperationException("This method has no instance representation.")).Get(batch);

    /// <summary>
    /// Training: a hard straight-through Gumbel sample, one per row for an instance-level choice and one for the whole
    /// batch for a task-level choice (the authors draw a single sample over the task logits and use it for every row);
    /// evaluation: the argmax, no noise.
    /// </summary>
    private Tensor Choose(ChoiceLogits choice, long rows, Tensor? u)
    {
        if (!training) return HardGumbelSoftmax.ArgMax(choice.Logits(rows, u));
        double temperature = _extra[TemperatureKey];
        return choice.NeedsInstance
            ? _gumbel.Sample(choice.Logits(rows, u), temperature)
            : _gumbel.Sample(choice.Logits(1, u), temperature).expand(rows, -1);
    }

    public (int[] Split, int[] Length) Choices(ModelBatch batch)
    {
        using var scope = NewDisposeScope();
        using var _ = torch.no_grad();
        int rows = (int)batch.InputIds.shape[0], n = PromptLength;
        var u = NeedsInstance ? Representation(batch) : null;
        int[] Pick(ChoiceLogits logits) => logits.Logits(rows, u).argmax(-1).to(ScalarType.Int32).cpu().data<int>().ToArray();
        var split = _parts.PositionLogits is { } p ? Pick(p)
            : Enumerable.Repeat(_parts.Position == PositionPolicy.Postfix ? n : 0, rows).ToArray();
        var length = _parts.LengthLogits is { } l ? Pick(l) : Enumerable.Repeat(n, rows).ToArray();
        return (split, length);
    }

    public void SaveTrainable(string path) => TrainableCheckpoint.Save(this, path);

    public void LoadTrainable(string path)
    {
        TrainableCheckpoint.Load(this, path);
        if (_groups.Any(g => g.Name == "backbone")) _parts.Instances?.Invalidate();
    }

    /// <summary>
    /// A Hugging Face PEFT adapter folder where PEFT can rebuild this model: prompt tuning on T5 (PROMPT_TUNING,
    /// SEQ_2_SEQ_LM, the verbalizer reads T5's own LM logits) and P-tuning v2 on a BERT-family encoder (PREFIX_TUNING,
    /// FEATURE_EXTRACTION: the encoder with its prefixes; the classifier head stays in this model's weights).
    /// Anything else is an <see cref="InvalidOperationException"/> saying why PEFT would compute something else.
    /// </summary>
    public void ExportPeft(string directory, string? baseModel = null)
    {
        if (PeftRefusal() is { } why) throw new InvalidOperationException($"PEFT export: {why}");
        using var _ = no_grad();
        if (_parts.Source is SharedPrompt shared)
            PeftPromptTuningExport.Write(directory, shared.weight, _parts.Backbone.Kind, _parts.Backbone.Shape, _parts.Init, _parts.InitText, baseModel);
        else
            PeftPromptTuningExport.WritePrefix(directory, _parts.Deep!.Flat(), "FEATURE_EXTRACTION", _parts.Backbone.Shape, baseModel);
    }

    /// <summary>Why PEFT could not rebuild this model from an adapter, or null when it can.</summary>
    public string? PeftRefusal() => (_parts.Method, _parts.Backbone.Kind) switch
    {
        (MethodKind.Prompt, BackboneKind.EncoderDecoder) when _parts.Head is not VerbalizerHead =>
            "this T5 model scores with a linear head (head.kind: linear), which PEFT's SEQ_2_SEQ_LM model does not have; use the verbalizer head.",
        (MethodKind.Prompt, BackboneKind.EncoderDecoder) => null,
        (MethodKind.Prompt, _) =>
            "PEFT's prompt tuning puts the virtual tokens before [CLS] and classifies with the model's own pooler and classifier; " +
            "this model puts its prompt after [CLS] and scores with a head of its own (head.*), so a PEFT adapter would compute something else.",
        (MethodKind.Prefix, BackboneKind.EncoderDecoder) =>
            "PEFT's prefix tuning on T5 hands the prefixes to the decoder as past key/values; this model's P-tuning v2 prefixes " +
            "enter the encoder's self-attention, so a PEFT adapter would compute something else.",
        (MethodKind.Prefix, _) => null,
        _ => $"PEFT has no counterpart of method.kind '{_parts.Method.ToString().ToLowerInvariant()}' (its chosen prompt positions, lengths or pool, or full fine-tuning); " +
             "PEFT export is for prompt tuning on T5 and P-tuning v2 on BERT-family encoders.",
    };

    /// <summary>Trainable and frozen parameter counts per component, for the run's printed summary.</summary>
    public IReadOnlyList<(string Component, long Trainable, long Frozen)> ParameterCounts() =>
        named_children().Select(c =>
        {
            var (trainable, frozen) = Models.ParameterCounts.Of(c.module);
            return (c.name, trainable, frozen);
        }).ToList();

    /// <summary>The counts per component, then PEFT's one-line total.</summary>
    public string Summary()
    {
        var counts = ParameterCounts();
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var lines = new List<string> { $"{"component",-12} {"trainable",12} {"frozen",12}" };
        lines.AddRange(counts.Select(c => string.Format(inv, "{0,-12} {1,12:N0} {2,12:N0}", c.Component, c.Trainable, c.Frozen)));
        lines.Add(Models.ParameterCounts.Line(counts.Sum(c => c.Trainable), counts.Sum(c => c.Frozen)));
        return string.Join(Environment.NewLine, lines);
    }

    string ITrainableModel.ParameterSummary() => Summary();

    private List<ParameterGroup> BuildGroups()
    {
        static List<TorchSharp.Modules.Parameter> Trainable(IEnumerable<TorchSharp.Modules.Parameter>? ps) =>
            ps?.Where(p => p.requires_grad).ToList() ?? [];
        var prompt = new List<TorchSharp.Modules.Parameter>();
        var instance = new List<TorchSharp.Modules.Parameter>();
        switch (_parts.Source)
        {
            case SharedPrompt s: prompt.AddRange(Trainable([s.weight])); break;
            case PromptPool pool:
                prompt.AddRange(Trainable([pool.weight]));
                instance.AddRange(Trainable(pool.mixer.parameters()));
                break;
        }
        prompt.AddRange(Trainable(_parts.Deep?.parameters()));
        instance.AddRange(Trainable(_parts.PositionLogits?.parameters()));
        instance.AddRange(Trainable(_parts.LengthLogits?.parameters()));
        var groups = new List<ParameterGroup>
        {
            new("prompt", prompt),
            new("instance", instance),
            new("head", Trainable(_heads.SelectMany(h => h.Head.Module.parameters()))),
            new("backbone", Trainable(_parts.Backbone.Module.parameters())),
        };
        return groups.Where(g => g.Parameters.Count > 0).ToList();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gumbel.Dispose();
            _parts.Instances?.Dispose();
        }
        base.Dispose(disposing);
    }
}
