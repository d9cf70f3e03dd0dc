/**
 * The services go-plugin's host calls on every plugin besides the provider itself: controller
 * (Shutdown), stdio mirroring, the connection broker, and the health check.
 */
import type {
  handleBidiStreamingCall,
  handleServerStreamingCall,
  handleUnaryCall,
  Server,
  ServerDuplexStream,
  ServerWritableStream,
} from "@grpc/grpc-js";
import { status } from "@grpc/grpc-js";
import { serviceFromDescriptor } from "../protocol/service-definitions";
import goPluginDescriptor from "./go-plugin.json";
import healthDescriptor from "./health.json";

type Empty = Record<string, never>;
type ConnInfo = { service_id: number; network: string; address: string };
type StdioData = { channel: "STDOUT" | "STDERR"; data: Uint8Array };

/** The health service name go-plugin's Ping asks about; "" is the whole server by gRPC convention. */
const HEALTHY_SERVICES = new Set(["plugin", ""]);

export interface GoPluginServices {
  /** Ends the idle streams the host keeps open, so a graceful server shutdown can complete. */
  endStreams(): void;
}

export function addGoPluginServices(server: Server, onShutdown: () => void): GoPluginServices {
  const openStreams = new Set<
    ServerWritableStream<Empty, StdioData> | ServerDuplexStream<ConnInfo, ConnInfo>
  >();
  const keepOpen = (
    stream: ServerWritableStream<Empty, StdioData> | ServerDuplexStream<ConnInfo, ConnInfo>,
  ) => {
    openStreams.add(stream);
    stream.on("cancelled", () => openStreams.delete(stream));
  };

  const shutdown: handleUnaryCall<Empty, Empty> = (_call, callback) => {
    callback(null, {});
    onShutdown();
  };
  server.addService(serviceFromDescriptor(goPluginDescriptor, "plugin.GRPCController"), {
    Shutdown: shutdown,
  });

  // Our logs go straight to stderr, which go-plugin reads itself; nothing is ever sent here.
  const streamStdio: handleServerStreamingCall<Empty, StdioData> = (call) => keepOpen(call);
  server.addService(serviceFromDescriptor(goPluginDescriptor, "plugin.GRPCStdio"), {
    StreamStdio: streamStdio,
  });

  // Terraform providers never dial back through the broker; hold the stream until the host ends it.
  const startStream: handleBidiStreamingCall<ConnInfo, ConnInfo> = (call) => {
    keepOpen(call);
    call.on("end", () => {
      openStreams.delete(call);
      call.end();
    });
  };
  server.addService(serviceFromDescriptor(goPluginDescriptor, "plugin.GRPCBroker"), {
    StartStream: startStream,
  });

  const check: handleUnaryCall<{ service: string }, { status: string }> = (call, callback) => {
    if (HEALTHY_SERVICES.has(call.request.service)) {
      callback(null, { status: "SERVING" });
    } else {
      callback({ code: status.NOT_FOUND, details: `unknown service ${call.request.service}` });
    }
  };
  server.addService(serviceFromDescriptor(healthDescriptor, "grpc.health.v1.Health"), { Check: check });

  return {
    endStreams() {
      for (const stream of openStreams) stream.end();
      openStreams.clear();
    },
  };
}
