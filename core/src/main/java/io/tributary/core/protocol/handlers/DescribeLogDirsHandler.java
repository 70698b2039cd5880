package io.tributary.core.protocol.handlers;

import io.tributary.core.metadata.MetadataImage;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.vertx.core.Future;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopic;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeLogDirsRequest;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * DescribeLogDirs (kafka-log-dirs): each log dir with the partitions it holds and their size on disk.
 * The sizes come from the files, read on a worker thread; no partition's owner is involved.
 */
public final class DescribeLogDirsHandler implements ApiHandler<DescribeLogDirsRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, DescribeLogDirsRequest request) {
        short version = context.apiVersion();
        MetadataImage image = context.broker().topics().image();
        Map<String, List<Integer>> wanted = new TreeMap<>();
        if (request.data().topics() == null) {
            image.topics().forEach(t -> wanted.put(t.name(), allPartitions(t)));
        } else {
            for (DescribableLogDirTopic t : request.data().topics()) {
                wanted.put(t.topic(), t.partitions());
            }
        }
        List<Path> dirs = context.broker().config().logDirs();
        return context.broker().vertx().executeBlocking(() -> {
            DescribeLogDirsResponseData response = new DescribeLogDirsResponseData();
            for (Path dir : dirs) {
                response.results().add(describe(dir, wanted, version));
            }
            return response;
        });
    }

    private static List<Integer> allPartitions(TopicInfo topic) {
        List<Integer> all = new ArrayList<>();
        for (int p = 0; p < topic.partitionCount(); p++) {
            all.add(p);
        }
        return all;
    }

    private static DescribeLogDirsResult describe(Path dir, Map<String, List<Integer>> wanted, short version) {
        DescribeLogDirsResult result = new DescribeLogDirsResult()
                .setLogDir(dir.toAbsolutePath().normalize().toString())
                .setErrorCode(Errors.NONE.code());
        if (version >= 4) {
            try {
                FileStore store = Files.getFileStore(dir);
                result.setTotalBytes(store.getTotalSpace()).setUsableBytes(store.getUsableSpace());
            } catch (IOException e) {
                return result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
            }
        }
        wanted.forEach((topic, partitions) -> {
            DescribeLogDirsTopic out = new DescribeLogDirsTopic().setName(topic);
            for (int p : partitions) {
                Path partitionDir = dir.resolve(topic + "-" + p);
                if (Files.isDirectory(partitionDir)) {
                    out.partitions().add(new DescribeLogDirsPartition()
                            .setPartitionIndex(p)
                            .setPartitionSize(segmentBytes(partitionDir))
                            .setOffsetLag(0)
                            .setIsFutureKey(false));
                }
            }
            if (!out.partitions().isEmpty()) {
                result.topics().add(out);
            }
        });
        return result;
    }

    private static long segmentBytes(Path partitionDir) {
        try (Stream<Path> files = Files.list(partitionDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }
}
