package main

/*
typedef struct mcp_client mcp_client;
typedef struct mcp_client_multi mcp_client_multi;
*/
import "C"

// mcp_client_cancel ends the requests blocked on c in other threads; see
// the header.
//
//export mcp_client_cancel
func mcp_client_cancel(c *C.mcp_client) (rc C.int) {
	defer guard(&rc, nil)
	ch, err := clientOf(c)
	if err != nil {
		return fail(nil, err)
	}
	ch.calls.cancelAll()
	return statusOK
}

// mcp_client_multi_cancel ends the calls blocked on m in other threads; see
// the header.
//
//export mcp_client_multi_cancel
func mcp_client_multi_cancel(m *C.mcp_client_multi) (rc C.int) {
	defer guard(&rc, nil)
	mh, err := multiOf(m)
	if err != nil {
		return fail(nil, err)
	}
	mh.calls.cancelAll()
	return statusOK
}
