package io.changeover.demo.sample;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/**
 * Builds document {@code index} of a sample dataset from its own random stream (seed and index only), so any document
 * can be made alone, in any order, and always comes out the same.
 */
final class JobGenerator {
    static final String AMINO_ACIDS = "ACDEFGHIKLMNPQRSTVWY";
    private static final String[] DATABASES = {"uniref90", "pdb70", "nr", "swissprot"};
    private static final int MIN_SEQUENCE = 20;
    private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();
    private static final int RESUBMITTED_PERCENT = 3;
    private static final int MIN_RESUBMITTED = 31;
    private static final int PURGED_PER_MILLE = 15;
    private static final int RECOVERED_PERCENT = 20;

    private final long seed;
    private final int size;
    private final int largeContentMax;
    private final Sizes sizes;

    /** Bounds of an ordinary job's encoded size, in bytes. */
    record Sizes(int min, int max) {
        static final Sizes DEFAULT = new Sizes(1024, 4000);
    }

    JobGenerator(long seed, int size, int largeContentMax, Sizes sizes) {
        this.seed = seed;
        this.size = size;
        this.largeContentMax = largeContentMax;
        this.sizes = sizes;
    }

    /** Job {@code index}: a resubmission's copy of its original, or a job of its own. */
    SampleJob job(int index) {
        int original = originalOf(index);
        SampleJob job = ownJob(original);
        return original == index ? job : job.resubmittedAs(new BsonObjectId(SampleIds.of(seed, index)));
    }

    BsonDocument document(int index) {
        return job(index).document();
    }

    /**
     * The job whose payload job {@code index} repeats: about {@value #RESUBMITTED_PERCENT}% of jobs are resubmissions
     * of a job 31 to 200 indexes before them (never one their original's {@code pid} can point to: forward references
     * reach 30 ahead), followed to the first original. Decided by the side stream of {@link #extras}.
     */
    int originalOf(int index) {
        int current = index;
        while (current > MIN_RESUBMITTED) {
            SplittableRandom extras = extras(current);
            if (extras.nextInt(100) >= RESUBMITTED_PERCENT) {
                return current;
            }
            int first = Math.max(0, current - 200);
            current = first + extras.nextInt(current - MIN_RESUBMITTED - first);
        }
        return current;
    }

    /** Whether job {@code index}'s {@code pssm} lives in the side collection instead of the job (an original's choice). */
    boolean hasRecoveredMatrix(int index) {
        SplittableRandom extras = extras(originalOf(index));
        extras.nextInt(100);
        extras.nextInt(1_000);
        return extras.nextInt(100) < RECOVERED_PERCENT;
    }

    private SampleJob ownJob(int index) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        String owner = String.format("user%03d", random.nextInt(40));
        BsonObjectId id = new BsonObjectId(SampleIds.of(seed, index));
        BsonDocument doc = new BsonDocument("_id", id)
                .append("job_type", new BsonString(jobType(random)))
                .append("status", new BsonString(status(random)))
                .append("created", new BsonDateTime(SampleIds.seconds(index) * 1000 + random.nextInt(1000)))
                .append("owner", new BsonString(owner));
        if (random.nextInt(100) < 60) {
            doc.append("submitted_by", new BsonString(owner + "@lab.example"));
        }
        if (random.nextInt(100) < 30) {
            doc.append("legacy_flag", BsonBoolean.valueOf(random.nextBoolean()));
        }
        BsonDocument input = inputData(random, index);
        doc.append("input_data", input).append("pid", parents(random, index));
        boolean large = random.nextInt(1000) < 5 && largeContentMax >= SampleDataset.LARGE_CONTENT_MIN;
        appendContent(doc, random, large);
        int targetSize = sizes.min() + random.nextInt(sizes.max() - sizes.min() + 1);
        int rows = 5 + random.nextInt(16);
        BsonDocument matrix = null;
        if (hasRecoveredMatrix(index)) {
            matrix = new BsonDocument("_id", id).append("pssm", new BsonArray());
            fillPssm(matrix, random, rows, targetSize);
        } else {
            doc.append("pssm", new BsonArray());
            fillPssm(doc, random, rows, large ? Integer.MAX_VALUE : targetSize);
        }
        int sequenceLength = large ? 50 + random.nextInt(451) : Math.max(MIN_SEQUENCE, targetSize - encodedSize(doc));
        input.put("sequence", new BsonString(sequence(random, sequenceLength)));
        return new SampleJob(doc, matrix);
    }

    /**
     * The side stream of job {@code index}: whether it is a resubmission (and of which job), whether its
     * {@code pid} also names a purged job, whether its matrix was lost. Apart from the main stream, so these choices
     * never shift the job's other fields.
     */
    private SplittableRandom extras(int index) {
        return new SplittableRandom(seed * 0xC2B2AE3D27D4EB4FL + index + 0x632BE59BD9B4E019L);
    }

    private static String jobType(SplittableRandom random) {
        String type = SampleDataset.JOB_TYPES.get(random.nextInt(SampleDataset.JOB_TYPES.size()));
        List<String> aliases = SampleDataset.ALIASES.get(type);
        if (aliases != null && random.nextInt(100) < 40) {
            return aliases.get(random.nextInt(aliases.size()));
        }
        return type;
    }

    /** About two thirds completed in one spelling or another; the rest running, queued or failed. */
    static String status(SplittableRandom random) {
        int r = random.nextInt(100);
        if (r < 35) {
            return "completed";
        } else if (r < 50) {
            return "COMPLETED";
        } else if (r < 65) {
            return "done";
        } else if (r < 77) {
            return "running";
        } else if (r < 87) {
            return "queued";
        }
        return "failed";
    }

    private static BsonDocument inputData(SplittableRandom random, int index) {
        BsonDocument params = new BsonDocument("evalue", new BsonDouble(Math.pow(10, -(1 + random.nextInt(10)))))
                .append("iterations", new BsonInt32(1 + random.nextInt(5)))
                .append("database", new BsonString(DATABASES[random.nextInt(DATABASES.length)]));
        return new BsonDocument("name", new BsonString("query_" + index))
                .append("sequence", new BsonString(""))
                .append("params", params);
    }

    /**
     * 0–3 ids of other jobs. Within the initial dataset a quarter point forward (parents after children in
     * {@code _id} order); documents beyond it (live inserts) only point back. About 1.5% of jobs also name a parent
     * purged before the migration ({@link SampleIds#purged}): an id no source document has.
     */
    private BsonArray parents(SplittableRandom random, int index) {
        int count = random.nextInt(100) < 35 ? 0 : 1 + random.nextInt(3);
        Set<Integer> picked = new LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
            int parent = parent(random, index);
            if (parent >= 0 && parent != index) {
                picked.add(parent);
            }
        }
        BsonArray ids = new BsonArray();
        picked.forEach(p -> ids.add(new BsonObjectId(SampleIds.of(seed, p))));
        SplittableRandom extras = extras(index);
        extras.nextInt(100);
        if (extras.nextInt(1_000) < PURGED_PER_MILLE) {
            ids.add(new BsonObjectId(SampleIds.purged(seed, index)));
        }
        return ids;
    }

    private int parent(SplittableRandom random, int index) {
        int lastForward = Math.min(index + 30, size - 1);
        boolean forward = lastForward > index && (index == 0 || random.nextInt(100) < 25);
        if (forward) {
            return index + 1 + random.nextInt(lastForward - index);
        }
        if (index == 0) {
            return -1;
        }
        int first = Math.max(0, index - 200);
        return first + random.nextInt(index - first);
    }

    private void appendContent(BsonDocument doc, SplittableRandom random, boolean large) {
        int length;
        if (large) {
            length = SampleDataset.LARGE_CONTENT_MIN
                    + random.nextInt(largeContentMax - SampleDataset.LARGE_CONTENT_MIN + 1);
        } else if (random.nextInt(100) < 30) {
            return;
        } else {
            length = random.nextInt(513);
        }
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        doc.append("content", new BsonBinary(bytes));
    }

    /** Up to {@code rows} rows, at least 5, as many as keep room for the minimal sequence under {@code targetSize}. */
    private static void fillPssm(BsonDocument doc, SplittableRandom random, int rows, int targetSize) {
        BsonArray pssm = doc.getArray("pssm");
        for (int pos = 1; pos <= rows; pos++) {
            pssm.add(pssmRow(random, pos));
        }
        int size = encodedSize(doc);
        while (pssm.size() > 5 && size + MIN_SEQUENCE > targetSize) {
            int last = pssm.size() - 1;
            size -= arrayElementSize(last, pssm.remove(last).asDocument());
        }
    }

    private static BsonDocument pssmRow(SplittableRandom random, int pos) {
        BsonDocument row = new BsonDocument("pos", new BsonInt32(pos));
        for (char aa : AMINO_ACIDS.toCharArray()) {
            row.append(String.valueOf(aa), new BsonInt32(random.nextInt(-4, 9)));
        }
        return row;
    }

    /** Random amino-acid letters; each adds one byte to the document. */
    private static String sequence(SplittableRandom random, int length) {
        StringBuilder sequence = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sequence.append(AMINO_ACIDS.charAt(random.nextInt(AMINO_ACIDS.length())));
        }
        return sequence.toString();
    }

    /** Bytes an array element takes: type byte, index as a C string, the document. */
    private static int arrayElementSize(int index, BsonDocument element) {
        return 1 + String.valueOf(index).length() + 1 + encodedSize(element);
    }

    static int encodedSize(BsonDocument doc) {
        return new RawBsonDocument(doc, CODEC).getByteBuffer().remaining();
    }
}
