package io.raftlab.client;

import io.grpc.MethodDescriptor;
import io.raftlab.api.kv.CompareAndSetRequest;
import io.raftlab.api.kv.CompareAndSetResponse;
import io.raftlab.api.kv.DeleteRequest;
import io.raftlab.api.kv.DeleteResponse;
import io.raftlab.api.kv.GetRequest;
import io.raftlab.api.kv.GetResponse;
import io.raftlab.api.kv.KeyValueGrpc;
import io.raftlab.api.kv.PutRequest;
import io.raftlab.api.kv.PutResponse;
import io.raftlab.api.kv.RequestItem;
import io.raftlab.api.kv.ResponseItem;
import java.util.function.Function;

/**
 * One key-value request as either kind of call: the unary method it goes to, and how it rides as
 * an item of a Batch stream and comes back.
 */
record KvOp<Q, R>(MethodDescriptor<Q, R> method, Q request, Function<RequestItem.Builder, RequestItem.Builder> asItem,
    Function<ResponseItem, R> fromItem) {

  static KvOp<GetRequest, GetResponse> get(GetRequest r) {
    return new KvOp<>(KeyValueGrpc.getGetMethod(), r, b -> b.setGet(r), ResponseItem::getGet);
  }

  static KvOp<PutRequest, PutResponse> put(PutRequest r) {
    return new KvOp<>(KeyValueGrpc.getPutMethod(), r, b -> b.setPut(r), ResponseItem::getPut);
  }

  static KvOp<DeleteRequest, DeleteResponse> delete(DeleteRequest r) {
    return new KvOp<>(KeyValueGrpc.getDeleteMethod(), r, b -> b.setDelete(r), ResponseItem::getDelete);
  }

  static KvOp<CompareAndSetRequest, CompareAndSetResponse> compareAndSet(CompareAndSetRequest r) {
    return new KvOp<>(KeyValueGrpc.getCompareAndSetMethod(), r, b -> b.setCas(r), ResponseItem::getCas);
  }
}
