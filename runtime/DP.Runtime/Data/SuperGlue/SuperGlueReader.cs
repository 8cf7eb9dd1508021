using DP.Runtime.Data.Json;

namespace DP.Runtime.Data.SuperGlue;

/// <summary>Readers for the official SuperGLUE JSONL files; a malformed line fails naming file, line and field.</summary>
public static class SuperGlueReader
{
    static SourceLine Src(JsonRecord r) => new(r.File, r.Line);

    static bool? Bool(JsonRecord r, string name) => r.OptionalLabel(name) switch
    {
        null => null,
        "true" or "True" or "1" => true,
        "false" or "False" or "0" => false,
        var other => throw r.Error(name, $"expected true or false, found '{other}'"),
    };

    static string? OneOf(JsonRecord r, string name, params string[] allowed)
    {
        var value = r.OptionalLabel(name);
        if (value is not null && !allowed.Contains(value))
            throw r.Error(name, $"expected one of {string.Join(", ", allowed)}, found '{value}'");
        return value;
    }

    public static List<BoolQRecord> ReadBoolQ(string path) => JsonlLines.Read(path)
        .Select(r => new BoolQRecord(Src(r), r.Int("idx"), r.String("question"), r.String("passage"), Bool(r, "label")))
        .ToList();

    public static List<CbRecord> ReadCb(string path) => JsonlLines.Read(path)
        .Select(r => new CbRecord(Src(r), r.Int("idx"), r.String("premise"), r.String("hypothesis"),
            OneOf(r, "label", "entailment", "contradiction", "neutral")))
        .ToList();

    public static List<RteRecord> ReadRte(string path) => JsonlLines.Read(path)
        .Select(r => new RteRecord(Src(r), r.Int("idx"), r.String("premise"), r.String("hypothesis"),
            OneOf(r, "label", "entailment", "not_entailment")))
        .ToList();

    public static List<CopaRecord> ReadCopa(string path) => JsonlLines.Read(path)
        .Select(r =>
        {
            var label = r.OptionalInt("label");
            if (label is not (null or 0 or 1)) throw r.Error("label", $"expected 0 or 1, found {label}");
            var question = r.String("question");
            if (question is not ("cause" or "effect"))
                throw r.Error("question", $"expected cause or effect, found '{question}'");
            return new CopaRecord(Src(r), r.Int("idx"), r.String("premise"), r.String("choice1"), r.String("choice2"),
                question, label);
        })
        .ToList();

    public static List<WicRecord> ReadWic(string path) => JsonlLines.Read(path)
        .Select(r => new WicRecord(Src(r), r.Int("idx"), r.String("word"), r.String("sentence1"), r.String("sentence2"),
            r.Int("start1"), r.Int("end1"), r.Int("start2"), r.Int("end2"), Bool(r, "label")))
        .ToList();

    public static List<WscRecord> ReadWsc(string path) => JsonlLines.Read(path)
        .Select(r =>
        {
            var target = r.Object("target");
            return new WscRecord(Src(r), r.Int("idx"), r.String("text"),
                target.String("span1_text"), target.Int("span1_index"),
                target.String("span2_text"), target.Int("span2_index"), Bool(r, "label"));
        })
        .ToList();

    /// <summary>One record per (passage, question, answer), keeping the ids that group answers by question.</summary>
    public static List<MultiRcRecord> ReadMultiRc(string path)
    {
        var list = new List<MultiRcRecord>();
        foreach (var r in JsonlLines.Read(path))
        {
            var passageIdx = r.Int("idx");
            var passage = r.Object("passage");
            var text = passage.String("text");
            foreach (var q in passage.Objects("questions"))
            {
                var question = q.String("question");
                var questionIdx = q.Int("idx");
                foreach (var a in q.Objects("answers"))
                    list.Add(new MultiRcRecord(Src(r), passageIdx, questionIdx, a.Int("idx"), text, question,
                        a.String("text"), Bool(a, "label")));
            }
        }
        return list;
    }

    /// <summary>One record per query; candidates are the distinct entity texts of the passage.</summary>
    public static List<RecordRecord> ReadRecord(string path)
    {
        var list = new List<RecordRecord>();
        foreach (var r in JsonlLines.Read(path))
        {
            var passageIdx = r.Int("idx");
            var passage = r.Object("passage");
            var text = passage.String("text");
            var candidates = new List<string>();
            foreach (var e in passage.Objects("entities"))
            {
                int start = e.Int("start"), end = e.Int("end");
                if (start < 0 || end < start || end >= text.Length)
                    throw e.Error("end", $"entity span {start}..{end} lies outside the passage ({text.Length} chars)");
                var entity = text.Substring(start, end - start + 1);
                if (!candidates.Contains(entity)) candidates.Add(entity);
            }
            foreach (var q in r.Objects("qas"))
            {
                var query = q.String("query");
                if (!query.Contains("@placeholder", StringComparison.Ordinal))
                    throw q.Error("query", "has no @placeholder");
                var answers = q.Element.TryGetProperty("answers", out _)
                    ? q.Objects("answers").Select(a => a.String("text")).Distinct().ToList()
                    : [];
                list.Add(new RecordRecord(Src(q), passageIdx, q.Int("idx"), text, query, candidates, answers));
            }
        }
        return list;
    }
}
