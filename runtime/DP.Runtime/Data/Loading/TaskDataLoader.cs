using DP.Runtime.Data.Batching;
using DP.Runtime.Data.Custom;
using DP.Runtime.Data.Evaluation;
using DP.Runtime.Data.Examples;
using DP.Runtime.Data.Sampling;
using DP.Runtime.Data.SuperGlue;
using DP.Runtime.Data.Templates;
using DP.Runtime.Experiments;
using DP.Runtime.Tokenization;

namespace DP.Runtime.Data.Loading;

/// <summary>Everything the trainer needs from the data side of an experiment.</summary>
public sealed record TaskData(
    TaskInfo Info,
    ITrainBatchSource Train,
    IEvaluationSet Validation,
    IEvaluationSet? Test,
    IReadOnlyList<TaskInfo> Tasks,
    IReadOnlyList<IEvaluationSet> AuxiliaryValidation);

/// <summary>
/// Loads a task (SuperGLUE or custom) as the <see cref="TaskOptions"/> describe it: reads its files (relative to
/// <see cref="TaskOptions.DataDir"/>), applies the template and label words, samples the few-shot subset, encodes
/// and batches. With <see cref="TaskOptions.Multitask"/> the training batches mix all tasks (task id 0 is the
/// main task, 1.. the others in order); validation and test are the main task's.
/// </summary>
public static class TaskDataLoader
{
    /// <param name="experimentName">Names the main task when it is custom data (else its data folder names it).</param>
    public static TaskData Load(TaskOptions options, ITextTokenizer tokenizer, int batchSize, int evalBatchSize, int seed, string? experimentName = null)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batch size must be positive");
        if (evalBatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(evalBatchSize), evalBatchSize, "eval batch size must be positive");
        var main = LoadOne(options, 0, tokenizer, batchSize, evalBatchSize, seed, "task", experimentName);
        if (options.Multitask.Count == 0)
            return new TaskData(main.Info, main.Train, main.Validation, main.Test, [main.Info], []);

        var others = options.Multitask
            .Select((o, i) =>
            {
                if (o.Multitask.Count > 0) throw new ArgumentException($"task.multitask[{i}] has its own multitask list; nesting is not supported");
                return LoadOne(o, i + 1, tokenizer, batchSize, evalBatchSize, seed, $"task.multitask[{i}]");
            })
            .ToList();
        var all = others.Prepend(main).ToList();
        var train = new MultitaskTrainSource(all.Select(t => t.Train).ToList(), options.Mixing, options.MixingCap,
            options.MixingTemperature, seed);
        return new TaskData(main.Info, train, main.Validation, main.Test, all.Select(t => t.Info).ToList(),
            others.Select(t => (IEvaluationSet)t.Validation).ToList());
    }

    sealed record LoadedTask(TaskInfo Info, BucketedTrainSource Train, TaskEvaluationSet Validation, TaskEvaluationSet? Test);

    static LoadedTask LoadOne(TaskOptions options, int taskId, ITextTokenizer tokenizer, int batchSize, int evalBatchSize,
        int seed, string where, string? customName = null)
    {
        if (options.MaxLength < 8)
            throw new ArgumentException($"{where}.max_length must be at least 8 tokens, got {options.MaxLength}");
        var trainPath = DataPath(options, options.TrainFile, $"{where}.train_file");
        var definition = Definition(options, customName);
        var train = definition.Read(trainPath);
        var validation = definition.Read(DataPath(options, options.ValidationFile, $"{where}.validation_file"));
        var test = string.IsNullOrEmpty(options.TestFile) ? null : definition.Read(DataPath(options, options.TestFile, $"{where}.test_file"));
        var (labels, metric, encoder, layout, positive, template) = Head(options, definition, taskId, tokenizer, where, train);
        var labelValues = labels.Select(l => l.Value).ToList();

        // Training examples need a target; ReCoRD queries whose answer is no entity of the passage cannot be trained on.
        var trainIndices = new List<int>();
        var unanswerable = 0;
        for (var i = 0; i < train.Count; i++)
        {
            var ex = train[i];
            if (encoder.ClassIndex(ex) >= 0) trainIndices.Add(i);
            else if (ex.IsMultipleChoice && ex.GoldAnswers is not null) unanswerable++;
            else throw NoLabel(ex, options, "training example has no label");
        }
        // Validation examples are scored: one without a label would silently drop out of every metric.
        foreach (var ex in validation)
            if (encoder.ClassIndex(ex) < 0 && ex.GoldAnswers is null)
                throw NoLabel(ex, options, "validation example has no label; every validation example is scored, so each needs one");
        if (options.FewShot is { } fewShot)
            trainIndices = metric == MetricKind.MultiRc
                ? SampleQuestions(train, trainIndices, fewShot, where)
                : FewShotSampler.Sample(trainIndices.Select(i => encoder.ClassIndex(train[i])).ToList(), fewShot, where)
                    .Select(p => trainIndices[p]).ToList();
        if (trainIndices.Count == 0)
            throw new ArgumentException($"{where}.train_file: {trainPath} has no trainable examples");
        var trainEncoded = trainIndices.Select(i => encoder.Encode(train[i], i)).ToList();
        var validationEncoded = validation.Select((e, i) => encoder.Encode(e, i, DataSplit.Validation)).ToList();
        var testEncoded = test?.Select((e, i) => encoder.Encode(e, i, DataSplit.Test)).ToList();

        var maxChoices = train.Concat(validation).Concat(test ?? []).Select(e => e.Choices?.Count ?? 0).DefaultIfEmpty(0).Max();
        var info = Info(taskId, definition, options.Kind == DataKind.Custom, labels, metric, tokenizer, trainEncoded.Count, maxChoices, template, where) with
        {
            Warnings = [
                .. TrainLabelWarnings(definition.IsMultipleChoice, trainIndices.Select(i => encoder.ClassIndex(train[i])), labelValues, trainPath),
                .. unanswerable == 0 ? [] : new[] { $"{trainPath}: {unanswerable} of {train.Count} training queries were left out: none of their candidates is a gold answer" },
            ],
        };
        return new LoadedTask(info,
            new BucketedTrainSource(trainEncoded, batchSize, SeedMix.Combine(seed, taskId), layout),
            new TaskEvaluationSet($"{definition.Name}/validation", info, metric, validation, validationEncoded, evalBatchSize, layout, positive),
            test is null ? null
                : new TaskEvaluationSet($"{definition.Name}/test", info, metric, test, testEncoded!, evalBatchSize, layout, positive));
    }

    static DataFormatException NoLabel(TaskExample example, TaskOptions options, string problem)
        => new(example.Source.File, example.Source.Line, example.IsMultipleChoice ? "label" : options.LabelField, problem);

    /// <summary>
    /// A classification training set with a single class teaches a constant: worth saying before a run wastes hours.
    /// (FewGLUE's WSC train split is all "true": PET trains WSC by generating the referent, not as a classifier.)
    /// </summary>
    static IReadOnlyList<string> TrainLabelWarnings(bool multipleChoice, IEnumerable<int> classes, IReadOnlyList<string> labelValues, string trainPath)
    {
        if (multipleChoice || labelValues.Count < 2) return [];
        var counts = classes.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        if (counts.Count != 1) return [];
        var (only, n) = counts.Single();
        return [$"{trainPath}: all {n} training examples have the label '{labelValues[only]}'; a classifier trained on them can only learn to predict that label"];
    }

    /// <summary>
    /// MultiRC few-shot counts questions, as FewGLUE does: k whole questions with all their answer-options,
    /// so that per-question exact match stays meaningful.
    /// </summary>
    static List<int> SampleQuestions(List<TaskExample> train, List<int> indices, FewShotOptions fewShot, string where)
    {
        if (fewShot.Total is null)
            throw new ArgumentException($"{where}.few_shot: MultiRC samples whole questions; use few_shot.total (questions), not per_label");
        var groups = indices.GroupBy(i => train[i].Group ?? "").ToList();
        var picked = FewShotSampler.Sample(new int[groups.Count], fewShot, where);
        return picked.SelectMany(g => groups[g]).Order().ToList();
    }

    /// <summary>
    /// What a task is without its data files: its head (labels, words, metrics) and its encoder. Predicting on new
    /// inputs needs only this; the label words come from the spec or the task (custom data without
    /// <c>task.labels</c> names its labels only in its training file).
    /// </summary>
    public static TaskDescription Describe(TaskOptions options, ITextTokenizer tokenizer, string? name, int taskId = 0)
    {
        var definition = Definition(options, name);
        var where = taskId == 0 ? "task" : $"task.multitask[{taskId - 1}]";
        var (labels, metric, encoder, layout, positive, template) = Head(options, definition, taskId, tokenizer, where, []);
        return new TaskDescription(Info(taskId, definition, options.Kind == DataKind.Custom, labels, metric, tokenizer, 0, 0, template, where), definition, encoder, layout, metric, positive);
    }

    static TaskDefinition Definition(TaskOptions options, string? customName) => options.Kind == DataKind.SuperGlue
        ? SuperGlueTasks.Get(options.SuperGlue)
        : CustomDefinition(options, customName);

    static (List<LabelWord> Labels, MetricKind Metric, TaskEncoder Encoder, BatchLayout Layout, int Positive, PromptTemplate Template) Head(
        TaskOptions options, TaskDefinition definition, int taskId, ITextTokenizer tokenizer, string where, List<TaskExample> train)
    {
        var template = PromptTemplate.Parse(options.Template ?? definition.DefaultTemplate, definition.Fields, $"{where}.template");
        var labels = LabelWords(options, definition, train, where);
        var metric = definition.Metric;
        if (options.Kind == DataKind.Custom)
            metric = labels.Count > 2 ? MetricKind.AccuracyMacroF1 : MetricKind.AccuracyF1;
        var labelValues = labels.Select(l => l.Value).ToList();
        var encoder = new TaskEncoder(taskId, template, labelValues, tokenizer, options.MaxLength, MaskToken(tokenizer));
        var layout = new BatchLayout(tokenizer.Special.Pad, definition.IsMultipleChoice, options.PadToMultipleOf, options.MaxLength);
        // Binary F1 and MultiRC count the "true" class as positive; custom data: the second class.
        var positive = labelValues.Contains("true") ? labelValues.IndexOf("true") : 1;
        return (labels, metric, encoder, layout, positive, template);
    }

    static TaskInfo Info(int taskId, TaskDefinition definition, bool custom, List<LabelWord> labels, MetricKind metric, ITextTokenizer tokenizer,
        int trainExamples, int maxChoices, PromptTemplate template, string where)
    {
        var (primary, metrics) = metric switch
        {
            MetricKind.Accuracy => ("accuracy", new[] { "accuracy" }),
            MetricKind.AccuracyF1 => ("accuracy", new[] { "accuracy", "f1" }),
            MetricKind.AccuracyMacroF1 => (custom ? "accuracy" : "macro_f1", new[] { "accuracy", "macro_f1" }),
            MetricKind.MultiRc => ("f1a", new[] { "em", "f1a" }),
            MetricKind.Record => ("f1", new[] { "em", "f1" }),
            _ => throw new InvalidOperationException(metric.ToString()),
        };
        return new TaskInfo(taskId, definition.Name, definition.IsMultipleChoice, labels.Select(l => l.Value).ToList(),
            labels.Select(l => l.Word).ToList(), labels.Select(l => tokenizer.EncodeWords(l.Word)).ToList(),
            primary, metrics, trainExamples, maxChoices)
        {
            Template = $"{where}.template \"{template.Source}\"",
            TemplateMasks = template.MaskCount,
        };
    }

    static string DataPath(TaskOptions options, string file, string field)
    {
        if (string.IsNullOrWhiteSpace(file)) throw new ArgumentException($"{field} is empty");
        var path = Path.IsPathRooted(file) ? file : Path.Combine(options.DataDir, file);
        if (!File.Exists(path)) throw new FileNotFoundException($"{field}: data file not found: {Path.GetFullPath(path)}", path);
        return path;
    }

    static TaskDefinition CustomDefinition(TaskOptions options, string? name)
    {
        if (options.Fields.Count == 0) throw new ArgumentException("task.fields: custom data needs the names of its text fields");
        var template = options.Fields.Count == 2
            ? $"{{{options.Fields[0]}}} {PromptTemplate.PairSeparator} {{{options.Fields[1]}}}"
            : string.Join(" ", options.Fields.Select(f => $"{{{f}}}"));
        // Multitask entries of custom data have no name of their own: their data folder tells them apart.
        name ??= Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.DataDir)));
        return new TaskDefinition(string.IsNullOrEmpty(name) ? "custom" : name, false, options.Fields, template, [],
            MetricKind.Accuracy,
            path => CustomDataReader.Read(path, options.Format, options.Fields, options.LabelField));
    }

    /// <summary>The spec's label words, else the task's defaults, else (custom data) the train labels sorted.</summary>
    static List<LabelWord> LabelWords(TaskOptions options, TaskDefinition definition, List<TaskExample> train, string where)
    {
        if (definition.IsMultipleChoice)
        {
            if (options.Labels.Count > 0)
                throw new ArgumentException($"{where}.labels: {definition.Name} is multiple choice and has no label words");
            return [];
        }
        List<LabelWord> labels = options.Labels.Count > 0 ? options.Labels
            : definition.DefaultLabels.Count > 0 ? definition.DefaultLabels.ToList()
            : train.Where(e => e.Label is not null).Select(e => e.Label!).Distinct().Order(StringComparer.Ordinal)
                .Select(v => new LabelWord(v, v)).ToList();
        if (labels.Count < 2) throw new ArgumentException($"{where}.labels: a classification task needs at least two labels, found {labels.Count}");
        var duplicate = labels.GroupBy(l => l.Value).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"{where}.labels: value '{duplicate.Key}' appears twice");
        if (labels.Any(l => string.IsNullOrWhiteSpace(l.Word)))
            throw new ArgumentException($"{where}.labels: every label needs a non-empty word");
        return labels;
    }

    static string MaskToken(ITextTokenizer tokenizer)
    {
        if (tokenizer.Special.Mask is not int mask) return "[MASK]";
        var text = tokenizer.Decode([mask]);
        return string.IsNullOrWhiteSpace(text) ? "[MASK]" : text.Trim();
    }
}
